"""Admin of the enterprises: firms, their chain roles, annual per-mu figures and grade schemes."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ImportAdminMixin
from pinghu.api.export import yes_no_unknown
from pinghu.choices import UNKNOWN_LABEL

from .. import stats
from ..choices import Grade
from ..imports import EnterpriseMetricResource, EnterpriseResource
from ..models import (
    Enterprise,
    EnterpriseAnnualMetric,
    EnterpriseChainRole,
    PerMuGradeScheme,
)


class EnterpriseChainRoleInline(admin.TabularInline):
    model = EnterpriseChainRole
    fields = ["chain", "node", "is_lead", "since"]
    autocomplete_fields = ["chain", "node"]
    extra = 0


class EnterpriseAdminForm(forms.ModelForm):
    """The enterprise form; a name whose other company form is recorded needs the tick that it is another firm."""

    near_name_confirmed = forms.BooleanField(
        label=_("It is another firm"),
        required=False,
        help_text=_(
            "Tick only when a recorded firm differs from this name by 有限公司/有限责任公司 and really is a "
            "different legal person."
        ),
    )

    class Meta:
        model = Enterprise
        fields = ["name"]  # the admin's fieldsets choose the rest (with its URL field override)

    def clean(self):
        data = super().clean()
        # Read by Enterprise.clean(), which the model form runs next.
        self.instance.near_name_confirmed = bool(data.get("near_name_confirmed"))
        return data


@admin.register(Enterprise)
class EnterpriseAdmin(ImportAdminMixin, SimpleHistoryAdmin):
    resource_classes = [EnterpriseResource]
    form = EnterpriseAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        "short_name",
        "credit_code",
        "ownership",
        "town",
        "in_pinghu",
        "fortune500_display",
        "industry_leader_display",
        "srdi_level",
        "above_size_display",
    ]
    # Unknown is not "no": the yes/no filters offer 未知 (unknown) as a third value, and an empty
    # fact (credit code, ownership, SRDI level) shows as 未知 in the list.
    list_filter = [
        "in_pinghu",
        "ownership",
        "fortune500",
        "industry_leader",
        "srdi_level",
        "above_size",
        "town",
        "chain_roles__chain",
    ]
    empty_value_display = UNKNOWN_LABEL
    search_fields = ["name", "short_name", "former_names", "credit_code"]
    inlines = [EnterpriseChainRoleInline]
    fieldsets = [
        (None, {"fields": ["name", "near_name_confirmed", "short_name", "former_names", "credit_code"]}),
        (
            _("Profile"),
            {"fields": ["ownership", "country", "fortune500", "industry_leader", "srdi_level", "above_size"]},
        ),
        (_("Location"), {"fields": ["in_pinghu", "town", "address", "website"]}),
        (_("Notes"), {"fields": ["notes", "facts_source"]}),
    ]

    @admin.display(description=_("Fortune Global 500"), ordering="fortune500")
    def fortune500_display(self, obj: Enterprise) -> str:
        return yes_no_unknown(obj.fortune500)

    @admin.display(description=_("international industry leader"), ordering="industry_leader")
    def industry_leader_display(self, obj: Enterprise) -> str:
        return yes_no_unknown(obj.industry_leader)

    @admin.display(description=_("above designated size"), ordering="above_size")
    def above_size_display(self, obj: Enterprise) -> str:
        return yes_no_unknown(obj.above_size)


@admin.register(EnterpriseChainRole)
class EnterpriseChainRoleAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "chain", "node", "is_lead", "since"]
    list_filter = ["is_lead", "chain"]
    list_select_related = ["enterprise", "chain", "node", "node__chain"]
    search_fields = ["enterprise__name", "chain__name", "node__name"]
    autocomplete_fields = ["enterprise", "chain", "node"]


class GradeListFilter(admin.SimpleListFilter):
    """Filter by the derived per-mu grade (an annotation, so not a plain field filter)."""

    title = _("grade")
    parameter_name = "grade"

    def lookups(self, request, model_admin):
        return Grade.choices

    def queryset(self, request, queryset):
        if self.value() in Grade.values:
            return queryset.filter(grade=self.value())
        return queryset


@admin.register(EnterpriseAnnualMetric)
class EnterpriseAnnualMetricAdmin(ImportAdminMixin, SimpleHistoryAdmin):
    resource_classes = [EnterpriseMetricResource]
    """Annual figures typed by the bureau; the derived figures and grade are shown, never stored."""

    list_display = [
        "enterprise",
        "year",
        "land_area",
        "tax_paid",
        "industrial_output",
        "tax_per_mu",
        "output_per_mu",
        "energy_per_output",
        "grade",
    ]
    list_filter = ["year", GradeListFilter, "enterprise__town", "enterprise__chain_roles__chain"]
    list_select_related = ["enterprise"]
    search_fields = ["enterprise__name", "enterprise__short_name", "enterprise__credit_code"]
    autocomplete_fields = ["enterprise"]
    ordering = ["-year", "enterprise__name"]
    fieldsets = [
        (None, {"fields": ["enterprise", "year"]}),
        (
            _("Figures"),
            {
                "fields": [
                    "land_area",
                    "tax_paid",
                    "industrial_output",
                    "revenue",
                    "energy_use",
                    "employees",
                    "rd_spending",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # The derived figures come from the same expressions as the API and the pages.
        return stats.annual_metrics(rank=False)

    @admin.display(description=_("tax per mu (10k CNY/mu)"), ordering="tax_per_mu")
    def tax_per_mu(self, obj: EnterpriseAnnualMetric):
        return obj.tax_per_mu

    @admin.display(description=_("output per mu (10k CNY/mu)"), ordering="output_per_mu")
    def output_per_mu(self, obj: EnterpriseAnnualMetric):
        return obj.output_per_mu

    @admin.display(description=_("energy per output (tce/10k CNY)"), ordering="energy_per_output")
    def energy_per_output(self, obj: EnterpriseAnnualMetric):
        return obj.energy_per_output

    @admin.display(description=_("grade"), ordering="grade")
    def grade(self, obj: EnterpriseAnnualMetric) -> str:
        return obj.grade


@admin.register(PerMuGradeScheme)
class PerMuGradeSchemeAdmin(SimpleHistoryAdmin):
    """Per-year grade thresholds; a year without a row is graded by the default scheme."""

    list_display = ["year", "tax_per_mu_a", "tax_per_mu_b", "tax_per_mu_c", "notes"]
    search_fields = ["year", "notes"]
    ordering = ["-year"]
