"""Admin of earlier versions of projects and visits, deleted ones included; admins restore one (projects.restore)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pinghu.permissions import may_restore

from ..models import (
    InvestmentVisit,
    Project,
)
from ..restore import project_restore, visit_restore


class RestoreAdmin(admin.ModelAdmin):
    """Every version of a project or visit, deleted ones included; admins restore one with the action.

    Read-only: versions are written by the history, never edited. Filter "deleted" to find a
    deleted row, or search by name; ``?id=<pk>`` lists one row's versions.
    """

    list_filter = ["history_type", "history_date"]
    list_select_related = ["history_user"]
    date_hierarchy = "history_date"
    show_full_result_count = False
    actions = ["restore"]
    restore_service = None

    def has_view_permission(self, request, obj=None) -> bool:
        return may_restore(request.user)

    def has_module_permission(self, request) -> bool:
        return may_restore(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        # Django hides actions from a read-only admin; this one writes through the restore services.
        return {"restore": self.get_action("restore")} if may_restore(request.user) else {}

    @admin.action(description=_("Restore the selected version"))
    def restore(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select exactly one version to restore."), messages.ERROR)
            return
        record = queryset.get()
        try:
            restored = self.restore_service(record)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, gettext("Restored: %(object)s.") % {"object": restored}, messages.SUCCESS)

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, record):
        # Django labels each box with str(record), which loads the row's related objects one by one.
        label = format_html(
            gettext("Select this object for an action - {}"), f"#{record.id} {record.history_date:%Y-%m-%d %H:%M}"
        )
        box = forms.CheckboxInput({"class": "action-select", "aria-label": label}, lambda value: False)
        return box.render(admin.helpers.ACTION_CHECKBOX_NAME, str(record.pk))

    @admin.display(description=_("version"))
    def version(self, record) -> str:
        return f"{record.get_history_type_display()} · {record.history_date:%Y-%m-%d %H:%M:%S}"


@admin.register(Project.history.model)
class ProjectVersionAdmin(RestoreAdmin):
    list_display = ["id", "name", "stage", "version", "history_user", "history_change_reason"]
    search_fields = ["name"]
    restore_service = staticmethod(project_restore)


@admin.register(InvestmentVisit.history.model)
class VisitVersionAdmin(RestoreAdmin):
    list_display = ["id", "date", "enterprise_name", "purpose", "version", "history_user", "history_change_reason"]
    search_fields = ["purpose", "host_unit_text"]
    restore_service = staticmethod(visit_restore)

    def get_queryset(self, request):
        # The name by a join: the history's foreign keys are not followed by select_related here.
        return super().get_queryset(request).annotate(_enterprise_name=F("enterprise__name"))

    @admin.display(description=_("visited enterprise"), ordering="_enterprise_name")
    def enterprise_name(self, record) -> str:
        return record._enterprise_name or f"#{record.enterprise_id}"
