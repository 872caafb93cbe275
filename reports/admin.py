"""Admin of reports: templates are edited here; reports and their versions are read here, never changed.

A report moves through its pages and the API (``reports.services``): the admin shows its state and
history but offers no add, change or delete; closed versions are read-only (the database refuses any
change to them anyway, ``reports.triggers``).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Report, ReportTemplate, ReportVersion


@admin.register(ReportTemplate)
class ReportTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit"]
    search_fields = ["code", "name"]


class ReportVersionInline(admin.TabularInline):
    model = ReportVersion
    fields = ["number", "closed_by", "closed_at", "reopened_by", "reopened_at", "reopen_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["template", "period_kind", "period_start", "status", "sent_to", "sent_at"]
    list_filter = ["template", "period_kind", "status"]
    list_select_related = ["template"]
    inlines = [ReportVersionInline]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "closed_by", "closed_at"]
    list_select_related = ["report__template", "closed_by"]
    readonly_fields = [
        "report",
        "number",
        "closed_by",
        "closed_at",
        "reopened_by",
        "reopened_at",
        "reopen_reason",
        "briefing",
        "figures",
        "rows",
    ]
