"""Django admin for the industry structure (reference data kept by the bureau)."""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ImportAdminMixin, ServiceSaveAdminMixin
from pinghu.api.export import yes_no_unknown
from pinghu.choices import UNKNOWN_LABEL
from pinghu.permissions import may

from . import stats
from .choices import Grade, LeadershipRole
from .imports import EnterpriseMetricResource, EnterpriseResource
from .models import (
    Chain,
    ChainLeadership,
    ChainNode,
    Cluster,
    Enterprise,
    EnterpriseAnnualMetric,
    EnterpriseChainRole,
    Leader,
    PerMuGradeScheme,
)
from .services import MANAGE_LEADERSHIP, chain_leadership_delete, chain_leadership_save, leader_save


class CurrentAppointmentFilter(admin.SimpleListFilter):
    title = _("current")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("current")), ("no", _("ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.current()
        if self.value() == "no":
            return queryset.filter(end_date__isnull=False)
        return queryset


class LeadershipInlineFormSet(BaseInlineFormSet):
    """Checks the one-current-chief rule across the rows of one submission.

    Each row is validated against the database on its own; two new current chiefs typed into
    the same form would each pass that check, so the formset compares them with each other.
    """

    def clean(self) -> None:
        super().clean()
        chiefs, current_leaders = 0, set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("end_date"):
                continue
            if data.get("role") == LeadershipRole.CHIEF:
                chiefs += 1
            leader = data.get("leader")
            if leader is not None and leader.pk in current_leaders:
                raise ValidationError(_("The same leader appears twice as current in this chain."))
            if leader is not None:
                current_leaders.add(leader.pk)
        if chiefs > 1:
            raise ValidationError(_("A chain can have only one current chain chief; give the others an end date."))
        terms = [
            (data["start_date"], data.get("end_date") or datetime.date.max)
            for data in (getattr(form, "cleaned_data", None) for form in self.forms)
            if data and not data.get("DELETE") and data.get("role") == LeadershipRole.CHIEF and data.get("start_date")
        ]
        terms.sort()
        if any(later[0] <= earlier[1] for earlier, later in zip(terms, terms[1:], strict=False)):
            raise ValidationError(
                _("Two chain chiefs' terms in this form overlap: a chain has one chain chief at a time.")
            )


class SameChainNodeInlineMixin:
    """Offer only the nodes of the chain being edited (none while the chain is being added)."""

    node_field = "node"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.node_field:
            chain_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = (
                ChainNode.objects.filter(chain_id=chain_id).select_related("chain")
                if chain_id
                else ChainNode.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChainNodeInline(SameChainNodeInlineMixin, admin.TabularInline):
    model = ChainNode
    node_field = "parent"
    fields = ["name", "segment", "parent", "sort_order", "gap"]
    extra = 0
    fk_name = "chain"


class LeadershipRightsMixin:
    """Appointments are shown to every role that reads chains, changed only with ``chains.manage_leadership``."""

    def has_add_permission(self, request, *args) -> bool:
        return may(request.user, MANAGE_LEADERSHIP) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return may(request.user, MANAGE_LEADERSHIP) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return may(request.user, MANAGE_LEADERSHIP) and super().has_delete_permission(request, obj)


class ChainLeadershipInline(LeadershipRightsMixin, admin.TabularInline):
    model = ChainLeadership
    formset = LeadershipInlineFormSet
    fields = ["leader", "role", "start_date", "end_date"]
    autocomplete_fields = ["leader"]
    extra = 0


class ChainEnterpriseRoleInline(SameChainNodeInlineMixin, admin.TabularInline):
    model = EnterpriseChainRole
    fields = ["enterprise", "node", "is_lead", "since"]
    autocomplete_fields = ["enterprise"]
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "name_en", "chain_count", "sort_order"]
    search_fields = ["name", "code", "name_en"]
    ordering = ["sort_order", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_chain_count=Count("chains"))

    @admin.display(description=_("chains"), ordering="_chain_count")
    def chain_count(self, obj: Cluster) -> int:
        return obj._chain_count


@admin.register(Chain)
class ChainAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "cluster", "node_count", "lead_count", "sort_order"]
    list_filter = ["kind", "cluster"]
    list_select_related = ["cluster"]
    search_fields = ["name", "code", "name_en"]
    autocomplete_fields = ["cluster"]
    inlines = [ChainLeadershipInline, ChainNodeInline, ChainEnterpriseRoleInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ChainLeadership:
            super().save_formset(request, form, formset, change)
            return
        for leadership in formset.save(commit=False):
            chain_leadership_save(leadership=leadership, by=request.user)
        for removed in formset.deleted_objects:
            chain_leadership_delete(leadership=removed, by=request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _node_count=Count("nodes", distinct=True),
                _lead_count=Count("enterprise_roles", filter=Q(enterprise_roles__is_lead=True), distinct=True),
            )
        )

    @admin.display(description=_("nodes"), ordering="_node_count")
    def node_count(self, obj: Chain) -> int:
        return obj._node_count

    @admin.display(description=_("lead enterprises"), ordering="_lead_count")
    def lead_count(self, obj: Chain) -> int:
        return obj._lead_count


@admin.register(ChainNode)
class ChainNodeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "chain", "segment", "parent", "sort_order", "gap_display"]
    list_filter = ["chain", "segment", "gap"]
    list_select_related = ["chain", "parent", "parent__chain"]
    search_fields = ["name", "chain__name"]
    autocomplete_fields = ["chain", "parent"]

    def get_queryset(self, request):
        # A node's label names its chain. The autocomplete view ignores list_select_related, and the
        # changelist skips it once the queryset has any select_related, so apply it here for both.
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=_("gap to recruit for (补链)"), ordering="gap")
    def gap_display(self, obj: ChainNode) -> str:
        return yes_no_unknown(obj.gap)


@admin.register(Leader)
class LeaderAdmin(ServiceSaveAdminMixin, SimpleHistoryAdmin):
    """The register of leaders (bureau staff); their login, which carries a chain leader's rights, is for admins."""

    list_display = ["name", "title", "unit", "user", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    search_fields = ["name", "title", "unit"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if may(request.user, MANAGE_LEADERSHIP) else [*readonly, "user"]

    def save_model(self, request, obj, form, change):
        leader_save(leader=obj, by=request.user)


@admin.register(ChainLeadership)
class ChainLeadershipAdmin(LeadershipRightsMixin, SimpleHistoryAdmin):
    list_display = ["chain", "role", "leader", "start_date", "end_date"]
    list_filter = [CurrentAppointmentFilter, "role", "chain"]
    list_select_related = ["chain", "leader"]
    search_fields = ["leader__name", "chain__name"]
    autocomplete_fields = ["leader", "chain"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        chain_leadership_save(leadership=obj, by=request.user)

    def delete_model(self, request, obj):
        chain_leadership_delete(leadership=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for leadership in queryset:
            chain_leadership_delete(leadership=leadership, by=request.user)


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
        "srdi_level",
        "above_size_display",
    ]
    # Unknown is not "no": the yes/no filters offer 未知 (unknown) as a third value, and an empty
    # fact (credit code, ownership, SRDI level) shows as 未知 in the list.
    list_filter = ["in_pinghu", "ownership", "fortune500", "srdi_level", "above_size", "town", "chain_roles__chain"]
    empty_value_display = UNKNOWN_LABEL
    search_fields = ["name", "short_name", "credit_code"]
    inlines = [EnterpriseChainRoleInline]
    fieldsets = [
        (None, {"fields": ["name", "near_name_confirmed", "short_name", "credit_code"]}),
        (_("Profile"), {"fields": ["ownership", "country", "fortune500", "srdi_level", "above_size"]}),
        (_("Location"), {"fields": ["in_pinghu", "town", "address", "website"]}),
        (_("Notes"), {"fields": ["notes", "facts_source"]}),
    ]

    @admin.display(description=_("Fortune Global 500"), ordering="fortune500")
    def fortune500_display(self, obj: Enterprise) -> str:
        return yes_no_unknown(obj.fortune500)

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
