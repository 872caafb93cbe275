"""Admin of funds in place: monthly records saved through the services (a correction is an edit), and their import."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ImportAdminMixin, ServiceSaveAdminMixin
from pinghu.concurrency import VersionedFormMixin

from ..imports import ProjectFundsResource
from ..models import ProjectFunds
from ..services import project_funds_create, project_funds_delete, project_funds_update


class ProjectFundsAdminForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectFunds
        fields = ["project", "month", "domestic_funds", "actual_foreign_investment", "source_note"]


@admin.register(ProjectFunds)
class ProjectFundsAdmin(ServiceSaveAdminMixin, ImportAdminMixin, SimpleHistoryAdmin):
    resource_classes = [ProjectFundsResource]
    form = ProjectFundsAdminForm
    list_display = ["project", "month", "domestic_funds", "actual_foreign_investment", "source_note", "entered_by"]
    list_filter = ["month", "project__chain", "project__town"]
    list_select_related = ["project", "entered_by"]
    search_fields = ["project__name", "source_note"]
    autocomplete_fields = ["project"]
    date_hierarchy = "month"

    def save_model(self, request, obj, form, change):
        if change:
            project_funds_update(
                funds=obj, data=self.edited_data(form), expected_version=form.expected_version, by=request.user
            )
            return
        saved = project_funds_create(
            project=obj.project,
            month=obj.month,
            domestic_funds=obj.domestic_funds,
            actual_foreign_investment=obj.actual_foreign_investment,
            source_note=obj.source_note,
            by=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        project_funds_delete(funds=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for funds in queryset:
            project_funds_delete(funds=funds, by=request.user)
