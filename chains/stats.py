"""The per-mu evaluation (亩均论英雄): derived figures, grades, rankings and 腾笼换鸟 candidates.

Read side only; every figure is computed by the database (PostgreSQL and SQLite alike):

- tax per mu = tax paid (万元) ÷ land (亩); output per mu = industrial output ÷ land;
  energy per output = energy use (吨标准煤) ÷ industrial output (万元), empty when energy use is not
  reported or output is zero. Each is rounded to four decimal places, and the grade and the rank
  use the rounded figure, so what a page shows is what was graded.
- grade: A when tax per mu ≥ the year's A threshold, else B when ≥ the B threshold, else C when
  ≥ the C threshold, else D. Thresholds come from the year's ``PerMuGradeScheme`` row, or
  ``DEFAULT_GRADE_THRESHOLDS`` when the year has none.
- rank: the firm's place among all firms of the same year by tax per mu (1 = highest; equal
  figures share a place, the next place is skipped). It does not change with list filters.
- group tables (by town, by chain): firms, land, tax and output summed; tax per mu of a group is
  its summed tax ÷ its summed land (not an average of the firms' ratios). A firm counts in every
  chain it has a role in, so chain rows need not add up to the city's total.
- 腾笼换鸟 candidates: the firms graded C or D in a year, least tax per mu first.
- chain output (the targets' ``chain_output``, issue 17): the industrial output of the firms holding a
  role in a chain, per chain, cluster (each firm once) or the city (every firm with a role, once).
"""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf, Round
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import RENEWAL_GRADES, Grade, Town
from .models import (
    DEFAULT_GRADE_THRESHOLDS,
    Chain,
    Cluster,
    Enterprise,
    EnterpriseAnnualMetric,
    EnterpriseChainRole,
    GradeThresholds,
    PerMuGradeScheme,
)

RATIO_PLACES = 4
RATIO = DecimalField(max_digits=24, decimal_places=RATIO_PLACES)
THRESHOLD = DecimalField(max_digits=10, decimal_places=2)
TOTAL = DecimalField(max_digits=20, decimal_places=2)


class Quotient(Func):
    """``numerator ÷ denominator`` rounded to four places; NULL when either is NULL or the denominator is 0.

    PostgreSQL divides numerics exactly. SQLite would divide two whole numbers as integers
    (350 ÷ 100 = 3), so there the numerator is made a real first.
    """

    arity = 2
    arg_joiner = " / "
    template = f"ROUND(%(expressions)s, {RATIO_PLACES})"
    output_field = RATIO

    def __init__(self, numerator, denominator, **extra) -> None:
        denominator = NullIf(denominator, Value(0), output_field=RATIO)
        super().__init__(numerator, denominator, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        clone = self.copy()
        numerator, denominator = clone.get_source_expressions()
        clone.set_source_expressions([Cast(numerator, FloatField()), denominator])
        return clone.as_sql(compiler, connection, **extra_context)


def _threshold(name: str, default: Decimal, year=None):
    """The year's threshold ``name`` from its scheme row, else the default scheme's."""
    scheme = PerMuGradeScheme.objects.filter(year=year if year is not None else OuterRef("year")).values(name)[:1]
    # Cast, so SQLite compares numbers with numbers (a bare Decimal parameter reaches it as text).
    return Coalesce(Subquery(scheme, output_field=THRESHOLD), Cast(Value(default), THRESHOLD))


def grade_expression(tax_per_mu, *, year: int | None = None) -> Case:
    """The grade (A–D) of a row whose tax per mu is ``tax_per_mu``, by the thresholds of the row's year.

    Given ``year`` (all rows of one year), the thresholds are read by a subquery the database runs
    once instead of once per row.
    """
    default = DEFAULT_GRADE_THRESHOLDS
    a, b, c = (_threshold(f"tax_per_mu_{name}", getattr(default, name), year) for name in ("a", "b", "c"))
    return Case(
        When(GreaterThanOrEqual(tax_per_mu, a), then=Value(Grade.A.value)),
        When(GreaterThanOrEqual(tax_per_mu, b), then=Value(Grade.B.value)),
        When(GreaterThanOrEqual(tax_per_mu, c), then=Value(Grade.C.value)),
        default=Value(Grade.D.value),
        output_field=CharField(max_length=1),
    )


def _tax_per_mu():
    return Quotient(F("tax_paid"), F("land_area"))


def annual_metrics(*, year: int | None = None, rank: bool = True) -> QuerySet:
    """Annual metrics (of ``year``, or all) with their enterprise and derived figures: ``tax_per_mu``,
    ``output_per_mu``, ``energy_per_output``, ``grade`` and (unless ``rank=False``) ``rank`` within the year."""
    queryset = EnterpriseAnnualMetric.objects.select_related("enterprise")
    if year is not None:
        queryset = queryset.filter(year=year)
    queryset = queryset.annotate(
        tax_per_mu=_tax_per_mu(),
        output_per_mu=Quotient(F("industrial_output"), F("land_area")),
        energy_per_output=Quotient(F("energy_use"), F("industrial_output")),
        grade=grade_expression(_tax_per_mu(), year=year),
    )
    if rank:
        queryset = queryset.annotate(rank=_rank())
    return queryset


def _rank():
    """1 + the number of firms of the same year with a higher tax per mu (a correlated count)."""
    higher = (
        EnterpriseAnnualMetric.objects.filter(year=OuterRef("year"))
        .annotate(other_tax_per_mu=_tax_per_mu())
        .filter(other_tax_per_mu__gt=OuterRef("tax_per_mu"))
        .order_by()
        .values("year")
        .annotate(higher=Count("pk"))
        .values("higher")
    )
    return Coalesce(Subquery(higher, output_field=IntegerField()), 0) + 1


def ranking(year: int) -> QuerySet:
    """The year's firms ranked by tax per mu (highest first), with every derived figure."""
    return annual_metrics(year=year).order_by("-tax_per_mu", "enterprise__name", "pk")


def renewal_candidates(year: int) -> QuerySet:
    """腾笼换鸟 candidates: the year's firms graded C or D, least tax per mu first.

    Linking a candidate to the replacement project in the pipeline is the projects app's concern.
    """
    return annual_metrics(year=year).filter(grade__in=RENEWAL_GRADES).order_by("tax_per_mu", "enterprise__name", "pk")


def enterprise_metrics_over_years(enterprise: Enterprise) -> QuerySet:
    """One enterprise's metrics, oldest year first, each with its derived figures, grade and rank."""
    return annual_metrics().filter(enterprise=enterprise).order_by("year")


def last_complete_year() -> int:
    """The calendar year before today's (Asia/Shanghai): the latest a full evaluation can cover."""
    return timezone.localdate().year - 1


def default_year() -> int:
    """The latest complete year with figures, or the last complete year when none are entered."""
    latest = EnterpriseAnnualMetric.objects.filter(year__lte=last_complete_year()).aggregate(latest=Max("year"))
    return latest["latest"] or last_complete_year()


def metric_years() -> list[int]:
    """The years that have figures, newest first (for year selectors)."""
    return list(EnterpriseAnnualMetric.objects.order_by("-year").values_list("year", flat=True).distinct())


def thresholds_for(year: int) -> tuple[GradeThresholds, bool]:
    """The thresholds grading ``year`` and whether they are the year's own (False: the default scheme)."""
    scheme = PerMuGradeScheme.objects.filter(year=year).first()
    return (scheme.thresholds, True) if scheme is not None else (DEFAULT_GRADE_THRESHOLDS, False)


# ---------------------------------------------------------------- group tables


def _group_aggregates() -> dict:
    """Aggregates of a group of annual metrics that carry a ``grade`` annotation."""
    figures = {
        "firms": Count("pk"),
        "total_land_area": Round(Sum("land_area"), 2, output_field=TOTAL),
        "total_tax_paid": Round(Sum("tax_paid"), 2, output_field=TOTAL),
        "total_industrial_output": Round(Sum("industrial_output"), 2, output_field=TOTAL),
        "tax_per_mu": Quotient(Sum("tax_paid"), Sum("land_area")),
        "output_per_mu": Quotient(Sum("industrial_output"), Sum("land_area")),
    }
    for grade in Grade:
        figures[f"grade_{grade.value.lower()}"] = Count("pk", filter=Q(grade=grade.value))
    return figures


def _graded(year: int) -> QuerySet:
    return EnterpriseAnnualMetric.objects.filter(year=year).annotate(grade=grade_expression(_tax_per_mu(), year=year))


def per_mu_total(year: int) -> dict:
    """The city's figures for ``year``: the same aggregates as one row of a group table."""
    return _graded(year).aggregate(**_group_aggregates())


def per_mu_by_town(year: int) -> list[dict]:
    """One row per town (firms without a town together, town ""), highest tax per mu first."""
    rows = (
        _graded(year)
        .order_by()
        .values(town=F("enterprise__town"))
        .annotate(**_group_aggregates())
        .order_by(F("tax_per_mu").desc(nulls_last=True), "town")
    )
    labels = dict(Town.choices)
    return [{**row, "town_label": labels.get(row["town"], _("no town"))} for row in rows]


def per_mu_by_chain(year: int, *, chain: Chain | None = None) -> list[dict]:
    """One row per chain whose member firms have figures for ``year``, highest tax per mu first.

    Members are the enterprises with a role (``EnterpriseChainRole``) in the chain.
    """
    condition = Q(enterprise__chain_roles__isnull=False)
    if chain is not None:
        condition &= Q(enterprise__chain_roles__chain=chain)
    # One filter() call and the values() below share the join to the roles: one row per (firm, chain).
    queryset = _graded(year).filter(condition)
    return list(
        queryset.order_by()
        .values(
            code=F("enterprise__chain_roles__chain__code"),
            name=F("enterprise__chain_roles__chain__name"),
            sort_order=F("enterprise__chain_roles__chain__sort_order"),
        )
        .annotate(**_group_aggregates())
        .order_by(F("tax_per_mu").desc(nulls_last=True), "sort_order", "code")
    )


# ---------------------------------------------------------------- chain output (targets, issue 17)


def chain_output_by(years, by: str, *, only=None) -> dict:
    """Industrial output (万元) of the firms holding a role in a chain: ``{(group, year): output}``, one query.

    ``by`` is ``"chain"`` (group: chain id), ``"cluster"`` (cluster id: a firm with roles in two chains of
    the cluster counts once) or ``"city"`` (group ``None``: every firm with a role in any chain, once).
    ``only`` keeps the listed chain or cluster ids. Years without figures are left out.
    """
    years = sorted(set(years))
    metrics = EnterpriseAnnualMetric.objects.filter(year__in=years).order_by()
    if by == "city":
        in_a_chain = Exists(EnterpriseChainRole.objects.filter(enterprise=OuterRef("enterprise")))
        rows = metrics.filter(in_a_chain).values("year").annotate(output=Sum("industrial_output"))
        return {(None, row["year"]): row["output"] for row in rows}
    if by == "chain":
        rows = metrics.filter(enterprise__chain_roles__isnull=False)
        if only is not None:
            rows = rows.filter(enterprise__chain_roles__chain__in=list(only))
        # One role per firm and chain (a unique constraint): the join counts each firm once per chain.
        rows = rows.values("year", group=F("enterprise__chain_roles__chain")).annotate(output=Sum("industrial_output"))
        return {(row["group"], row["year"]): row["output"] for row in rows}
    if by != "cluster":
        raise ValueError(by)
    # A firm counts once per cluster: its roles are tested (EXISTS), not joined; one subquery per year.
    in_cluster = Exists(
        EnterpriseChainRole.objects.filter(enterprise=OuterRef("enterprise"), chain__cluster=OuterRef(OuterRef("pk")))
    )
    clusters = Cluster.objects.order_by()
    if only is not None:
        clusters = clusters.filter(pk__in=list(only))
    sums = {
        f"y{year}": Subquery(
            metrics.filter(in_cluster, year=year)
            .annotate(total=Func(F("industrial_output"), function="SUM", output_field=TOTAL))
            .values("total")[:1],
            output_field=TOTAL,
        )
        for year in years
    }
    result = {}
    for row in clusters.annotate(**sums).values("pk", *sums):
        for year in years:
            if row[f"y{year}"] is not None:
                result[(row["pk"], year)] = row[f"y{year}"]
    return result
