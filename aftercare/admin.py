"""Django admin for the service of established firms; new problems and cadre assignments go through services."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ReadOnlyStepsInline

from .models import CadreAssignment, EnterpriseIssue, IssueStep, LandRenewal, SalonEvent
from .services import cadre_assign, issue_create


@admin.register(SalonEvent)
class SalonEventAdmin(SimpleHistoryAdmin):
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


class IssueStepInline(ReadOnlyStepsInline):
    """The problem's steps: written by ``issue_advance`` (the problem board, the API)."""

    model = IssueStep
    fields = ["on", "from_status", "to_status", "by", "note"]
    ordering = ["on", "pk"]


@admin.register(EnterpriseIssue)
class EnterpriseIssueAdmin(SimpleHistoryAdmin):
    """Problems: recorded and edited here; moved (assign, resolve, close, reject) on the problem board or the API."""

    list_display = ["received_on", "enterprise", "channel", "category", "status", "assigned_unit", "due_date"]
    list_filter = ["status", "channel", "category", "received_on"]
    list_select_related = ["enterprise"]
    search_fields = ["description", "enterprise__name", "assigned_unit"]
    autocomplete_fields = ["enterprise", "salon", "visit"]
    readonly_fields = [
        "status",
        "assigned_on",
        "resolved_on",
        "closed_on",
        "rejected_on",
        "rejection_reason",
        "resolution_note",
        "satisfaction",
        "recorded_by",
    ]
    date_hierarchy = "received_on"
    show_full_result_count = False
    inlines = [IssueStepInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            issue_create(issue=obj, by=request.user)


@admin.register(CadreAssignment)
class CadreAssignmentAdmin(SimpleHistoryAdmin):
    """千名干部助千企: a new assignment ends the firm's current one the day before (``cadre_assign``)."""

    list_display = ["enterprise", "cadre_leader", "cadre_user", "start_date", "end_date"]
    list_filter = ["end_date", "start_date"]
    list_select_related = ["enterprise", "cadre_leader", "cadre_user"]
    search_fields = ["enterprise__name", "cadre_leader__name", "cadre_user__username"]
    autocomplete_fields = ["enterprise", "cadre_leader", "cadre_user"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        saved = cadre_assign(
            enterprise=obj.enterprise,
            start_date=obj.start_date,
            cadre_user=obj.cadre_user,
            cadre_leader=obj.cadre_leader,
        )
        obj.pk = saved.pk


@admin.register(LandRenewal)
class LandRenewalAdmin(SimpleHistoryAdmin):
    """腾笼换鸟: link a low-efficiency firm (grade C or D on the per-mu ranking) to the project taking its land."""

    list_display = ["enterprise", "project", "land_area", "created_at"]
    list_select_related = ["enterprise", "project"]
    search_fields = ["enterprise__name", "project__name", "note"]
    autocomplete_fields = ["enterprise", "project"]
