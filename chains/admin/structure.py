"""Admin of the industry structure: clusters, chains and their map, leaders and their appointments."""

import datetime

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ServiceSaveAdminMixin
from pinghu.api.export import yes_no_unknown
from pinghu.permissions import may

from ..choices import LeadershipRole
from ..models import (
    Chain,
    ChainLeadership,
    ChainNode,
    Cluster,
    EnterpriseChainRole,
    Leader,
)
from ..services import MANAGE_LEADERSHIP, chain_leadership_delete, chain_leadership_save, leader_save


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

    list_display = ["name", "title", "unit", "user", "is_active", "is_top_official"]
    list_filter = ["is_active", "is_top_official"]
    list_select_related = ["user", "unit"]
    search_fields = ["name", "title", "unit__name", "unit_text"]
    autocomplete_fields = ["user", "unit"]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "unit_text"]
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
