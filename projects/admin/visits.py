"""Admin of investment visits: saved through visit_create / visit_update with their leaders, chains and projects."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from chains.models import Leader
from pinghu.admin import ImportAdminMixin, RoleRulesAdminMixin, ServiceSaveAdminMixin
from pinghu.concurrency import VersionedFormMixin
from pinghu.text import join_list

from ..imports import VisitResource
from ..models import (
    InvestmentVisit,
    Project,
)
from ..services import (
    visit_create,
    visit_delete,
    visit_update,
)


class InvestmentVisitAdminForm(VersionedFormMixin, forms.ModelForm):
    """Leaders and projects go through explicit link models, which the admin cannot edit as plain fields.

    The form offers them as two multiple-choice fields with the admin's autocomplete widget, and
    the admin hands them to ``visit_create`` / ``visit_update``.
    """

    visit_leaders = forms.ModelMultipleChoiceField(
        queryset=Leader.objects.all(),
        label=InvestmentVisit._meta.get_field("leaders").verbose_name,
        help_text=InvestmentVisit._meta.get_field("leaders").help_text,
        widget=AutocompleteSelectMultiple(InvestmentVisit._meta.get_field("leaders"), admin.site),
    )
    visit_projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.all(),
        required=False,
        label=InvestmentVisit._meta.get_field("projects").verbose_name,
        widget=AutocompleteSelectMultiple(InvestmentVisit._meta.get_field("projects"), admin.site),
    )

    class Meta:
        model = InvestmentVisit
        fields = [
            "date",
            "host_unit",
            "enterprise",
            "destination_city",
            "chains",
            "purpose",
            "outcome",
            "next_step",
            "follow_up_date",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["visit_leaders"].initial = list(self.instance.leaders.all())
            self.fields["visit_projects"].initial = list(self.instance.projects.all())


@admin.register(InvestmentVisit)
class InvestmentVisitAdmin(ServiceSaveAdminMixin, ImportAdminMixin, RoleRulesAdminMixin, SimpleHistoryAdmin):
    resource_classes = [VisitResource]
    form = InvestmentVisitAdminForm
    list_display = ["date", "is_saturday", "enterprise", "host_unit", "leader_names", "person_times", "recorded_by"]
    list_filter = ["is_saturday", "chains", "date"]
    list_select_related = ["enterprise", "recorded_by", "host_unit"]
    search_fields = ["enterprise__name", "host_unit__name", "host_unit_text", "purpose", "destination_city"]
    autocomplete_fields = ["enterprise", "chains", "host_unit"]
    readonly_fields = ["is_saturday", "recorded_by", "host_unit_text"]
    date_hierarchy = "date"
    show_full_result_count = False
    fields = [
        "date",
        "is_saturday",
        "visit_leaders",
        "host_unit",
        "host_unit_text",
        "enterprise",
        "destination_city",
        "chains",
        "purpose",
        "outcome",
        "next_step",
        "follow_up_date",
        "visit_projects",
        "recorded_by",
        "version",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("leaders")
            .annotate(_person_times=Count("leader_links", distinct=True))
        )

    @admin.display(description=_("leaders"))
    def leader_names(self, obj: InvestmentVisit) -> str:
        return join_list(leader.name for leader in obj.leaders.all())

    @admin.display(description=_("person-times"), ordering="_person_times")
    def person_times(self, obj: InvestmentVisit) -> int:
        return obj._person_times

    def save_model(self, request, obj, form, change):
        # The visit and its links are written together by the service, in save_related.
        pass

    def delete_model(self, request, obj):
        visit_delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for visit in queryset:
            visit_delete(visit, by=request.user)

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        if change:
            visit_update(
                visit=form.instance,
                leaders=data["visit_leaders"],
                chains=data["chains"],
                projects=data["visit_projects"],
                expected_version=form.expected_version,
                by=request.user,
            )
        else:
            visit_create(
                visit=form.instance,
                leaders=data["visit_leaders"],
                chains=data["chains"],
                projects=data["visit_projects"],
                by=request.user,
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
