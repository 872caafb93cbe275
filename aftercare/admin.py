"""Django admin for the service of established firms: every save goes through ``aftercare.services``.

Each change form carries the version it opened (``VersionedFormMixin``); the service refuses a stale one.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ReadOnlyStepsInline, ServiceSaveAdminMixin
from pinghu.concurrency import VersionedFormMixin

from .choices import ISSUE_STEP_FIELDS
from .models import CadreAssignment, EnterpriseIssue, IssueStep, LandRenewal, SalonEvent
from .services import (
    cadre_assign,
    cadre_assignment_update,
    issue_create,
    issue_update,
    land_renewal_save,
    salon_save,
)


def versioned_form(model_class) -> type[forms.ModelForm]:
    """The admin's form of ``model_class`` with the version it opened, for the service to check."""
    meta = type("Meta", (), {"model": model_class, "exclude": []})
    return type(f"{model_class.__name__}AdminForm", (VersionedFormMixin, forms.ModelForm), {"Meta": meta})


@admin.register(SalonEvent)
class SalonEventAdmin(ServiceSaveAdminMixin, SimpleHistoryAdmin):
    form = versioned_form(SalonEvent)
    list_display = ["date", "host", "place", "firm_count", "issue_count"]
    list_select_related = ["host"]
    search_fields = ["place", "notes", "host__name"]
    autocomplete_fields = ["host", "enterprises"]
    date_hierarchy = "date"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_firms=Count("enterprises", distinct=True), _issues=Count("issues", distinct=True))
        )

    @admin.display(description=_("firms attending"), ordering="_firms")
    def firm_count(self, obj: SalonEvent) -> int:
        return obj._firms

    @admin.display(description=_("problems collected"), ordering="_issues")
    def issue_count(self, obj: SalonEvent) -> int:
        return obj._issues

    def save_model(self, request, obj, form, change):
        salon_save(salon=obj, enterprises=form.cleaned_data["enterprises"], expected_version=form.expected_version)

    def save_related(self, request, form, formsets, change):
        # salon_save set the firms attending with the salon; only inlines (none today) remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class IssueStepInline(ReadOnlyStepsInline):
    """The problem's steps: written by ``issue_advance`` (the problem board, the API)."""

    model = IssueStep
    fields = ["on", "from_status", "to_status", "by", "note"]
    ordering = ["on", "pk"]


@admin.register(EnterpriseIssue)
class EnterpriseIssueAdmin(ServiceSaveAdminMixin, SimpleHistoryAdmin):
    """Problems: recorded and edited here; moved (assign, resolve, close, reject) on the problem board or the API."""

    form = versioned_form(EnterpriseIssue)

    list_display = ["received_on", "enterprise", "channel", "category", "status", "assigned_unit", "due_date"]
    list_filter = ["status", "channel", "category", "received_on"]
    list_select_related = ["enterprise", "assigned_unit"]
    search_fields = ["description", "enterprise__name", "assigned_unit__name", "assigned_unit_text"]
    autocomplete_fields = ["enterprise", "salon", "visit", "assigned_unit"]
    readonly_fields = [*ISSUE_STEP_FIELDS, "recorded_by", "assigned_unit_text"]
    date_hierarchy = "received_on"
    show_full_result_count = False
    inlines = [IssueStepInline]

    def save_model(self, request, obj, form, change):
        if change:
            issue_update(issue=obj, data=self.edited_data(form), expected_version=form.expected_version)
        else:
            issue_create(issue=obj, by=request.user)


@admin.register(CadreAssignment)
class CadreAssignmentAdmin(ServiceSaveAdminMixin, SimpleHistoryAdmin):
    """千名干部助千企: a new assignment ends the firm's current one the day before (``cadre_assign``)."""

    form = versioned_form(CadreAssignment)

    list_display = ["enterprise", "cadre_leader", "cadre_user", "start_date", "end_date"]
    list_filter = ["end_date", "start_date"]
    list_select_related = ["enterprise", "cadre_leader", "cadre_user"]
    search_fields = ["enterprise__name", "cadre_leader__name", "cadre_user__username"]
    autocomplete_fields = ["enterprise", "cadre_leader", "cadre_user"]

    def save_model(self, request, obj, form, change):
        if change:
            cadre_assignment_update(assignment=obj, data=self.edited_data(form), expected_version=form.expected_version)
            return
        saved = cadre_assign(
            enterprise=obj.enterprise,
            start_date=obj.start_date,
            cadre_user=obj.cadre_user,
            cadre_leader=obj.cadre_leader,
            end_date=obj.end_date,
        )
        obj.pk = saved.pk


@admin.register(LandRenewal)
class LandRenewalAdmin(ServiceSaveAdminMixin, SimpleHistoryAdmin):
    """腾笼换鸟: link a low-efficiency firm (grade C or D on the per-mu ranking) to the project taking its land."""

    form = versioned_form(LandRenewal)

    list_display = ["enterprise", "project", "land_area", "parcel", "created_at"]
    list_select_related = ["enterprise", "project", "parcel"]
    search_fields = ["enterprise__name", "project__name", "parcel__number", "note"]
    autocomplete_fields = ["enterprise", "project", "parcel"]

    def save_model(self, request, obj, form, change):
        land_renewal_save(renewal=obj, expected_version=form.expected_version)
