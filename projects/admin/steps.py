"""Admin of what is written beside a project: follow-ups (by their authors) and the read-only stage history."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import RoleRulesAdminMixin, ServiceSaveAdminMixin

from ..models import (
    FollowUp,
    ProjectStageChange,
)
from ..services import follow_up_save


@admin.register(FollowUp)
class FollowUpAdmin(ServiceSaveAdminMixin, RoleRulesAdminMixin, SimpleHistoryAdmin):
    """Follow-ups by their authors; saved through ``follow_up_save``: only on a project the user may change."""

    list_display = ["project", "date", "author", "next_step", "due_date", "overdue"]
    list_filter = ["date", "due_date"]
    list_select_related = ["project", "author"]
    search_fields = ["project__name", "note", "next_step"]
    autocomplete_fields = ["project"]
    readonly_fields = ["author"]
    date_hierarchy = "date"
    show_full_result_count = False

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: FollowUp) -> bool:
        return obj.due_date is not None and obj.due_date < timezone.localdate()

    def save_model(self, request, obj, form, change):
        follow_up_save(follow_up=obj, by=request.user)


@admin.register(ProjectStageChange)
class ProjectStageChangeAdmin(admin.ModelAdmin):
    """Stage history is written by transitions only; the admin shows it, read-only."""

    list_display = ["project", "from_stage", "to_stage", "at", "by"]
    list_filter = ["to_stage", "at"]
    list_select_related = ["project", "by"]
    search_fields = ["project__name", "note"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
