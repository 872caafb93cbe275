"""The milestone statistics endpoint (``/api/v1/stats/milestones/``): 落地率, 开工率, 投产率, 达产率 as of a day.

The figures are ``projects.milestone_stats``; this module parses the query and describes the answer.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from pinghu.api.viewsets import READ_ERRORS
from pinghu.querystrings import without_format
from pinghu.read_replica import replica_reads
from projects import milestone_stats
from projects.periods import EARLIEST, LATEST

from .stats import StatsQuerySerializer, StatsView, rate_field


class MilestoneStatsQuerySerializer(StatsQuerySerializer):
    """The statistics query plus the day the milestones are counted as of."""

    as_of = serializers.DateField(
        required=False,
        help_text=_("Count the milestones reached on or before this day (default: today)."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs.setdefault("as_of", timezone.localdate())
        if not EARLIEST <= attrs["as_of"] <= LATEST:
            message = _("Dates must lie between %(earliest)s and %(latest)s.") % {
                "earliest": EARLIEST,
                "latest": LATEST,
            }
            raise serializers.ValidationError({"as_of": [message]})
        return attrs


def _count(text):
    return serializers.IntegerField(help_text=text)


def _days(text):
    return serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True, help_text=text)


class MilestoneStatsSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text=_("The day the milestones are counted as of."))
    signed_projects = _count(_("Projects signed in the period, on or before as_of."))
    registered_projects = _count(_("Of them, those with a registered date on or before as_of (落地)."))
    started_projects = _count(_("Of them, those with a construction start date on or before as_of (开工)."))
    in_production_projects = _count(_("Of them, those with a production start date on or before as_of (投产)."))
    at_capacity_projects = _count(_("Of them, those with a design capacity date on or before as_of (达产)."))
    registered_rate = rate_field(help_text=_("落地率: registered ÷ signed; null when nothing was signed."))
    started_rate = rate_field(help_text=_("开工率: started ÷ signed; null when nothing was signed."))
    in_production_rate = rate_field(help_text=_("投产率: in production ÷ signed; null when nothing was signed."))
    at_capacity_rate = rate_field(help_text=_("达产率: at design capacity ÷ signed; null when nothing was signed."))
    signed_to_registered_days = _days(
        _("Average days from signing to registration, over the projects that reached it by as_of.")
    )
    signed_to_started_days = _days(
        _("Average days from signing to construction start, over the projects that reached it by as_of.")
    )
    signed_to_in_production_days = _days(
        _("Average days from signing to production start, over the projects that reached it by as_of.")
    )
    signed_to_at_capacity_days = _days(
        _("Average days from signing to design capacity, over the projects that reached it by as_of.")
    )


class MilestoneStatsView(StatsView):
    def query(self, request) -> dict:
        params = MilestoneStatsQuerySerializer(data=without_format(request.query_params).dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return {
            "period": milestone_stats.Period(data["start"], data["end"]),
            "as_of": data["as_of"],
            "chain": data.get("chain"),
            "cluster": data.get("cluster"),
        }

    @extend_schema(
        summary=_("Milestone rates as of a day"),
        description=_(
            "Of the projects signed in the period (on or before as_of): how many had registered (落地率), "
            "started construction (开工率), started production (投产率) and reached design capacity (达产率) "
            "by as_of, and the average days from signing to each over the projects that reached it."
        ),
        parameters=[MilestoneStatsQuerySerializer],
        responses={200: MilestoneStatsSerializer, **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        query = self.query(request)
        data = milestone_stats.milestone_rates(query.pop("period"), **query)
        return Response(MilestoneStatsSerializer(data).data)
