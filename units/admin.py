"""Units in the admin: the list, search and members, with history; and the unit names still to map."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.permissions import may

from .forms import MapNameForm
from .models import Unit
from .selectors import unmapped_names
from .services import unit_create_from_name, unit_map_name


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "member_count", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["members"]
    change_list_template = "admin/units/unit/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members", distinct=True))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj) -> int:
        return obj.member_count

    def get_urls(self):
        return [
            path("unmapped/", self.admin_site.admin_view(self.unmapped_view), name="units_unit_unmapped"),
            *super().get_urls(),
        ]

    def unmapped_view(self, request):
        """The names still to map, each with a form: map it to a unit or create a unit of that name."""
        if not may(request.user, "units.change_unit"):
            messages.error(request, _("Units: only bureau staff and administrators may change units."))
            return redirect("admin:units_unit_changelist")
        if request.method == "POST":
            form = MapNameForm(request.POST)
            if form.is_valid():
                text = form.cleaned_data["text"]
                try:
                    if form.cleaned_data.get("unit") is not None:
                        unit = form.cleaned_data["unit"]
                        count = unit_map_name(text=text, unit=unit, by=request.user)
                    else:
                        unit, count = unit_create_from_name(text=text, kind=form.cleaned_data["kind"], by=request.user)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(
                        request,
                        _("“%(text)s” mapped to %(unit)s on %(count)d rows.")
                        % {"text": text, "unit": unit.name, "count": count},
                    )
            else:
                messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("admin:units_unit_unmapped")
        names = [(name, MapNameForm(initial={"text": name.text})) for name in unmapped_names()]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Unit names to map"),
            "names": names,
        }
        return TemplateResponse(request, "admin/units/unit/unmapped.html", context)
