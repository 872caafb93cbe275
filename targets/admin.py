"""Admin of targets and assessment weights: every save through ``targets.services``; the targets' import."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ImportAdminMixin, ServiceSaveAdminMixin

from .forms import AssessmentWeightForm, TargetForm
from .imports import TargetResource
from .models import AssessmentWeight, Target
from .services import target_create, target_delete, target_update, weight_save


@admin.register(Target)
class TargetAdmin(ServiceSaveAdminMixin, ImportAdminMixin, SimpleHistoryAdmin):
    resource_classes = [TargetResource]
    form = TargetForm
    list_display = ["years_label", "scope_kind", "scope_label", "metric", "value", "unit_label", "set_by"]
    list_filter = ["year_from", "year_to", "scope_kind", "metric", "chain", "town"]
    list_select_related = ["cluster", "chain", "unit", "set_by"]
    search_fields = ["unit__name", "unit_text", "source", "note", "chain__name", "cluster__name"]
    readonly_fields = ["set_by", "unit_text"]

    @admin.display(description=_("years"), ordering="year_from")
    def years_label(self, obj):
        return obj.years_label

    @admin.display(description=_("scope name"))
    def scope_label(self, obj):
        return obj.scope_label

    @admin.display(description=_("unit"))
    def unit_label(self, obj):
        return obj.unit_of_measure.label

    def save_model(self, request, obj, form, change):
        if change:
            target_update(
                target=obj, data=self.edited_data(form), expected_version=form.expected_version, by=request.user
            )
            return
        saved = target_create(data=self.edited_data(form), by=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        target_delete(target=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for target in queryset:
            target_delete(target=target, by=request.user)


@admin.register(AssessmentWeight)
class AssessmentWeightAdmin(ServiceSaveAdminMixin, SimpleHistoryAdmin):
    form = AssessmentWeightForm
    list_display = ["year", "metric", "weight", "set_by"]
    list_filter = ["year", "metric"]
    list_select_related = ["set_by"]
    readonly_fields = ["set_by"]

    def save_model(self, request, obj, form, change):
        saved = weight_save(
            year=obj.year,
            metric=obj.metric,
            weight=obj.weight,
            by=request.user,
            expected_version=form.expected_version if change else None,
        )
        obj.pk = saved.pk
