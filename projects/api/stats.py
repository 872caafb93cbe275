"""Statistics endpoints of investment activity (``/api/v1/stats/…``): a period and a chain or cluster in, figures out.

The figures are ``projects.stats``; this module parses the query and describes the answers.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from chains.models import Chain, Cluster
from pinghu.api.serializers import StrictFieldsMixin
from pinghu.api.viewsets import READ_ERRORS
from pinghu.querystrings import without_format
from pinghu.read_replica import replica_reads
from projects import band_stats, funds_stats, stats, stats_monthly, stats_saturday
from projects.bands import BAND_KEYS
from projects.choices import ProjectStage
from projects.periods import EARLIEST, LATEST


class StatsQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    """Query parameters of every statistics endpoint."""

    start = serializers.DateField(required=False, help_text=_("First day (default: 1 January of this year)."))
    end = serializers.DateField(required=False, help_text=_("Last day, inclusive (default: today)."))
    chain = serializers.SlugRelatedField(
        slug_field="code", queryset=Chain.objects.all(), required=False, help_text=_("Chain code, e.g. nev.")
    )
    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=Cluster.objects.all(), required=False, help_text=_("Cluster code, e.g. equipment.")
    )

    def validate(self, attrs):
        default = stats.Period.year_to_date()
        attrs.setdefault("start", default.start)
        attrs.setdefault("end", default.end)
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": [_("The end date cannot be before the start date.")]})
        for name in ("start", "end"):
            if not EARLIEST <= attrs[name] <= LATEST:
                message = _("Dates must lie between %(earliest)s and %(latest)s.") % {
                    "earliest": EARLIEST,
                    "latest": LATEST,
                }
                raise serializers.ValidationError({name: [message]})
        if attrs.get("chain") and attrs.get("cluster"):
            raise serializers.ValidationError({"cluster": [_("Give a chain or a cluster, not both.")]})
        return attrs


# The signed projects' foreign part at signing: never money paid in (that is foreign_paid_in).
CONTRACTED_FOREIGN = _(
    "合同外资: contracted foreign investment of the projects signed in the period, 万美元; not paid in."
)


FUNDS_IN_PLACE = _("内资到位: domestic funds in place, the sum of the monthly records of the period's months, 万元.")
FOREIGN_PAID_IN = _("实际外资: actual foreign investment paid in, the sum of the period's monthly records, 万美元.")
PROJECTS_WITH_FUNDS = _(
    "到位项目数: distinct projects with a monthly record in the period whose domestic or foreign amount is above zero."
)


def money_field(**kwargs):
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kwargs)


def rate_field(**kwargs):
    return serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True, **kwargs)


def days_field():
    return serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)


class SummarySerializer(serializers.Serializer):
    visits = serializers.IntegerField()
    saturday_visits = serializers.IntegerField()
    person_times = serializers.IntegerField()
    saturday_person_times = serializers.IntegerField()
    projects_engaged = serializers.IntegerField()
    # Saturday figures as the article counts them (projects.stats_saturday).
    saturday_projects_engaged = serializers.IntegerField(
        help_text=_("周六对接项目: distinct projects linked to visits dated on a Saturday in the period.")
    )
    top_official_person_times = serializers.IntegerField(
        help_text=_("一把手人次: sum over visits in the period of the number of top officials (一把手) on each visit.")
    )
    saturday_top_official_person_times = serializers.IntegerField(
        help_text=_("The same over Saturday visits only (the article's 484 person-times).")
    )
    signed_projects = serializers.IntegerField()
    signed_investment = money_field(help_text=_("万元"))
    signed_foreign_investment = money_field(help_text=CONTRACTED_FOREIGN)
    major_projects = serializers.IntegerField()
    started_projects = serializers.IntegerField()
    start_rate = rate_field(help_text=_("开工率: started ÷ signed; null when nothing signed."))
    contacted_projects = serializers.IntegerField()
    converted_projects = serializers.IntegerField()
    conversion_rate = rate_field()
    contact_to_signed_days = days_field()
    signed_to_registered_days = days_field()
    registered_to_construction_days = days_field()
    construction_to_production_days = days_field()
    # Funds in place (projects.funds_stats): money paid in during the period, not contracted.
    funds_in_place = money_field(help_text=FUNDS_IN_PLACE)
    foreign_paid_in = money_field(help_text=FOREIGN_PAID_IN)
    projects_with_funds = serializers.IntegerField(help_text=PROJECTS_WITH_FUNDS)


VISITS_PER_CHAIN = _(
    "A visit concerning several chains counts once for each of them in the chain rows and once in the total row, "
    "so the chain rows' visits and person-times can add up to more than the total."
)


class ByChainRowSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text=_("Chain code; null on the total row."))
    name = serializers.CharField()
    cluster = serializers.CharField(
        source="cluster__code", allow_null=True, help_text=_("Cluster code; on the total row, the cluster asked for.")
    )
    is_total = serializers.BooleanField(
        help_text=_("True on the last row: the city's (or the cluster's) total, computed directly.")
    )
    signed_projects = serializers.IntegerField()
    signed_investment = money_field(help_text=_("万元"))
    signed_foreign_investment = money_field(help_text=CONTRACTED_FOREIGN)
    major_projects = serializers.IntegerField()
    started_projects = serializers.IntegerField()
    start_rate = rate_field()
    visits = serializers.IntegerField(help_text=VISITS_PER_CHAIN)
    person_times = serializers.IntegerField(help_text=VISITS_PER_CHAIN)
    saturday_person_times = serializers.IntegerField(help_text=VISITS_PER_CHAIN)
    projects_engaged = serializers.IntegerField(
        help_text=_("A project counts for its own chain, whatever chains the visit was tagged with: rows add up.")
    )
    funds_in_place = money_field(help_text=FUNDS_IN_PLACE)
    foreign_paid_in = money_field(help_text=FOREIGN_PAID_IN)
    projects_with_funds = serializers.IntegerField(help_text=PROJECTS_WITH_FUNDS)


class PipelineRowSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ProjectStage.choices)
    label = serializers.CharField()
    projects = serializers.IntegerField()
    investment = money_field()


class MonthlyRowSerializer(serializers.Serializer):
    month = serializers.DateField()
    visits = serializers.IntegerField()
    person_times = serializers.IntegerField()
    saturday_person_times = serializers.IntegerField()
    signed_projects = serializers.IntegerField()
    signed_investment = money_field()


class StatsView(APIView):
    """Base of the statistics endpoints: parse the period and filter, answer with what stats.py computes."""

    view_permission = "projects.view_project"

    def query(self, request) -> dict:
        # "format" is DRF's own (?format=json); every other parameter must be one of ours.
        params = StatsQuerySerializer(data=without_format(request.query_params).dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return {
            "period": stats.Period(data["start"], data["end"]),
            "chain": data.get("chain"),
            "cluster": data.get("cluster"),
        }


class SummaryView(StatsView):
    @extend_schema(
        summary=_("Headline figures for a period"),
        description=_(
            "Visits, person-times, projects engaged, signings, major projects, 开工率, conversion and stage durations."
        ),
        parameters=[StatsQuerySerializer],
        responses={200: SummarySerializer, **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        query = self.query(request)
        period, filters = query.pop("period"), query
        data = {**stats.summary(period, **filters), **stats.stage_durations(period, **filters)}
        data |= funds_stats.funds_summary(period, **filters)
        return Response(SummarySerializer(data).data)


VISIT_KEYS = ("visits", "person_times", "saturday_person_times", "projects_engaged")


class ByChainView(StatsView):
    @extend_schema(
        summary=_("Signing and visit figures per chain"),
        description=_(
            "One row per chain (of the cluster if one is asked for), then a last row with is_total true: the "
            "city's (or the cluster's) total, computed directly rather than summed from the rows. A visit "
            "concerning several chains counts once for each of them, and once in the total. With chain, "
            "only that chain's row."
        ),
        parameters=[StatsQuerySerializer],
        responses={200: ByChainRowSerializer(many=True), **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        query = self.query(request)
        period, chain = query["period"], query["chain"]
        cluster = query["cluster"] or (chain.cluster if chain else None)
        engaged = stats_saturday.engaged_by_chain(period, cluster=cluster)
        visits = {row["code"]: row for row in stats.visits_by_chain(period, cluster=cluster, engaged=engaged)}
        funds = funds_stats.funds_by_chain(period, cluster=cluster)
        rows = []
        for row in stats.signed_by_chain(period, cluster=cluster):
            if chain is not None and row["code"] != chain.code:
                continue
            rows.append({**row, **{key: visits[row["code"]][key] for key in VISIT_KEYS}, "is_total": False})
            rows[-1] |= funds.get(row["pk"], funds_stats.EMPTY)
        if chain is None:  # one chain's row is its own total
            rows.append(self.total_row(period, cluster=query["cluster"], rows=rows, engaged=engaged, funds=funds))
        return Response(ByChainRowSerializer(rows, many=True).data)

    @staticmethod
    def total_row(period, *, cluster, rows: list[dict], engaged: dict, funds: dict) -> dict:
        """The city's or the cluster's chains as a whole: every visit once, however many of them it concerns.

        The figures of projects (signed, engaged, with funds in) are the chains' ``rows``, ``engaged`` and
        ``funds`` added up: a project belongs to one chain, so the sums are the totals computed directly.
        """
        if cluster is not None:
            name, cluster_code = str(_("Total of %(name)s") % {"name": cluster.name}), cluster.code
        else:
            name, cluster_code = str(_("City total")), None
        figures = stats.visit_summary(period, cluster=cluster, engaged=stats_saturday.engaged_total(engaged))
        figures |= stats.signed_total(rows) | funds_stats.funds_total(funds)
        return {**figures, "code": None, "name": name, "cluster__code": cluster_code, "is_total": True}


class PipelineView(StatsView):
    @extend_schema(
        summary=_("Projects and investment by stage as of the period's end"),
        parameters=[StatsQuerySerializer],
        responses={200: PipelineRowSerializer(many=True), **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        query = self.query(request)
        return Response(PipelineRowSerializer(stats.pipeline(query.pop("period"), **query), many=True).data)


class FundsByTownRowSerializer(serializers.Serializer):
    town = serializers.CharField(allow_blank=True, help_text=_("The town's name; empty for projects with no town."))
    label = serializers.CharField(allow_blank=True)
    funds_in_place = money_field(help_text=FUNDS_IN_PLACE)
    foreign_paid_in = money_field(help_text=FOREIGN_PAID_IN)
    projects_with_funds = serializers.IntegerField(help_text=PROJECTS_WITH_FUNDS)


class FundsByTownView(StatsView):
    @extend_schema(
        summary=_("Funds in place and actual foreign investment per town"),
        description=_(
            "One row per town (zero rows included), then a row with an empty town for projects without one, if "
            "any has a record. A record counts for its project's town; amounts are not contracted figures."
        ),
        parameters=[StatsQuerySerializer],
        responses={200: FundsByTownRowSerializer(many=True), **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        query = self.query(request)
        rows = funds_stats.funds_by_town(query.pop("period"), **query)
        return Response(FundsByTownRowSerializer(rows, many=True).data)


class MonthlyView(StatsView):
    @extend_schema(
        summary=_("Monthly series of visits and signings"),
        parameters=[StatsQuerySerializer],
        responses={200: MonthlyRowSerializer(many=True), **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        query = self.query(request)
        return Response(MonthlyRowSerializer(stats_monthly.monthly(query.pop("period"), **query), many=True).data)


# ---------------------------------------------------------------- bands and levels (issue 16)
class BandsQuerySerializer(StatsQuerySerializer):
    """The statistics query, and how to group the band figures."""

    by = serializers.ChoiceField(
        choices=[("chain", "chain"), ("town", "town")],
        required=False,
        help_text=_("chain: one group per chain (of the cluster); town: one group per town, then no town."),
    )


class BandRowSerializer(serializers.Serializer):
    band = serializers.ChoiceField(
        choices=[(key, key) for key in BAND_KEYS],
        help_text=_(
            "cny_100m: total investment ≥ 10,000 万元 (亿元以上); cny_1bn: ≥ 100,000 万元 (10亿元以上); "
            "usd_100m: total investment ≥ US$100 million at the CNY/USD rate of the signed year (else this year; "
            "a year without a rate uses the latest earlier one) (总投资超亿美元); foreign_usd_30m: contracted "
            "foreign investment ≥ 3,000 万美元 (外资3000万美元以上); major: a Fortune Global 500 or international "
            "industry leader investor (known, not unknown), or usd_100m. A project counts in every band it meets."
        ),
    )
    label = serializers.CharField()
    signed_projects = serializers.IntegerField(help_text=_("Projects signed in the period that meet the band."))
    signed_investment = money_field(help_text=_("Their total investment, 万元."))


class BandGroupSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("The chain's code, or the town's code (empty: no town)."))
    name = serializers.CharField()
    bands = BandRowSerializer(many=True)


class BandsSerializer(serializers.Serializer):
    bands = BandRowSerializer(many=True, help_text=_("The period's figures for the whole filter."))
    groups = BandGroupSerializer(
        many=True, help_text=_("With ?by=chain or ?by=town, the same figures per group; else empty.")
    )


class BandsView(StatsView):
    @extend_schema(
        summary=_("Signed projects and investment per size band (规模分档)"),
        description=_(
            "Of the projects signed in the period (of the chain or cluster): per band, how many and their total "
            'investment (万元). Thresholds and the exchange rates: docs/statistics.md, "Size bands".'
        ),
        parameters=[BandsQuerySerializer],
        responses={200: BandsSerializer, **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        params = BandsQuerySerializer(data=without_format(request.query_params).dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        period = stats.Period(data["start"], data["end"])
        filters = {"chain": data.get("chain"), "cluster": data.get("cluster")}
        by = data.get("by")
        groups = []
        if by == "chain":
            groups = band_stats.bands_by_chain(period, **filters)
        elif by == "town":
            groups = band_stats.bands_by_town(period, **filters)
        data = {"bands": band_stats.band_summary(period, **filters), "groups": groups}
        return Response(BandsSerializer(data).data)
