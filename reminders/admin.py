"""Reminder rules in the admin: changed (never added or deleted) through ``reminders.services``, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ServiceSaveAdminMixin

from .forms import RuleForm
from .models import ReminderRule
from .services import rule_update


@admin.register(ReminderRule)
class ReminderRuleAdmin(ServiceSaveAdminMixin, SimpleHistoryAdmin):
    form = RuleForm
    list_display = ["kind", "enabled", "updated_at"]
    list_filter = ["enabled"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_fields(self, request, obj=None):
        return ["kind", "enabled", *(obj.fields if obj is not None else [])]

    def save_model(self, request, obj, form, change):
        rule_update(rule=obj, data=form.service_data(), expected_version=form.expected_version, by=request.user)
