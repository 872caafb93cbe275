"""FilterSets of the service of established firms, shared by the API and the pages (the problem board)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chains.models import Chain, Enterprise, Leader
from pinghu.filters import StrictBooleanFilter, StrictFilterSet
from pinghu.search import SearchFilter
from units.models import Unit

from .choices import IssueCategory, IssueChannel, IssueStatus
from .models import CadreAssignment, EnterpriseIssue, SalonEvent, overdue_condition


class EnterpriseIssueFilterSet(StrictFilterSet):
    """Filters of the problem board and of ``/api/v1/enterprise-issues/``."""

    # The page's labels (pinghu.filter_ui); the API describes the parameters with the labels above.
    ui_labels = {
        "status": _("status"),
        "unit": _("assigned unit"),
        "enterprise": _("enterprise"),
        "chain": _("chain"),
        "salon": _("salon"),
    }

    q = SearchFilter()
    status = django_filters.MultipleChoiceFilter(choices=IssueStatus.choices, label=_("status (repeat for several)"))
    channel = django_filters.ChoiceFilter(choices=IssueChannel.choices, label=_("channel"))
    category = django_filters.ChoiceFilter(choices=IssueCategory.choices, label=_("category"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), field_name="assigned_unit", label=_("assigned unit (id)")
    )
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("enterprise (id)"))
    chain = django_filters.ModelChoiceFilter(
        queryset=Chain.objects.all(),
        to_field_name="code",
        field_name="enterprise__chain_roles__chain",
        label=_("chain (code)"),
    )
    salon = django_filters.ModelChoiceFilter(queryset=SalonEvent.objects.all(), label=_("salon (id)"))
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("received on or after")
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("received on or before")
    )
    overdue = StrictBooleanFilter(method="by_overdue", label=_("overdue (open and past its due date)"))

    class Meta:
        model = EnterpriseIssue
        fields = [
            "q",
            "status",
            "channel",
            "category",
            "unit",
            "enterprise",
            "chain",
            "salon",
            "received_from",
            "received_to",
            "overdue",
        ]

    def by_overdue(self, queryset, name, value: bool):
        overdue = overdue_condition(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class SalonEventFilterSet(StrictFilterSet):
    q = SearchFilter()
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("on or after"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("on or before"))
    host = django_filters.ModelChoiceFilter(queryset=Leader.objects.all(), label=_("host leader (id)"))
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(), field_name="enterprises", label=_("enterprise attending (id)")
    )

    class Meta:
        model = SalonEvent
        fields = ["q", "date_from", "date_to", "host", "enterprise"]


class CadreAssignmentFilterSet(StrictFilterSet):
    q = SearchFilter()
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("enterprise (id)"))
    leader = django_filters.ModelChoiceFilter(
        queryset=Leader.objects.all(), field_name="cadre_leader", label=_("cadre leader (id)")
    )
    current = StrictBooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("current"))

    class Meta:
        model = CadreAssignment
        fields = ["q", "enterprise", "leader", "current"]
