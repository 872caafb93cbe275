"""Read-side queries of the web pages: the dashboard and a chain's page (periods are ``periods``).

Every figure comes from ``projects.stats``; what is added here is structure (which chains sit in
which cluster, who leads them) and the drill-down links, each in a bounded number of queries.
"""

import hashlib
from collections import Counter, defaultdict
from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chains.choices import LeadershipRole
from chains.models import Chain, ChainLeadership, Cluster, EnterpriseChainRole
from pinghu import dataversion, figure_cache, figures
from pinghu.plausibility import amount_warning_line
from pinghu.templatetags.pinghu_tags import yi

from . import band_stats, funds_stats, milestone_stats, stats, stats_land, stats_monthly, stats_saturday
from .chain_map import chain_map, chain_map_chart
from .choices import PIPELINE
from .models import PROJECT_AMOUNT_FIELDS, InvestmentVisit, Project
from .moves import StageMove as StageMove  # the moves offered on a project (its page, the board)
from .moves import project_moves_for as project_moves_for
from .periods import NamedPeriod

# The version in the key changes with every write (database triggers, ``pinghu.dataversion``), so an
# entry is never stale; the timeout only bounds the memory that old entries hold.
CACHE_SECONDS = 300
# The shape of what is cached, in the key: raised when the figures' keys change, so that a shared cache (Redis)
# does not hand a new release's pages what an old release cached (2: the chain rows' address and 亿元 text).
CACHE_FORMAT = "2"


def cached(kind: str, named: NamedPeriod, compute, *extra: str):
    """``compute()`` once per period, language and data version; answers from the cache otherwise.

    The version is read before computing: figures cached under it are at least as new as it is. Readers
    missing the same key at once (after a write) wait for one computation (``pinghu.figure_cache``).
    """
    from django.utils import translation

    period = named.period
    parts = [
        "pinghu",
        kind,
        CACHE_FORMAT,
        translation.get_language() or "",
        period.start.isoformat(),
        period.end.isoformat(),
    ]
    # Hashed: the version holds colons, and chain codes any character, which some cache backends refuse in keys.
    version = dataversion.current()
    key = f"pinghu:{kind}:" + hashlib.sha256(":".join([*parts, *extra, version]).encode()).hexdigest()
    return figure_cache.get_or_compute(key, compute, CACHE_SECONDS, version=version)


def _link(name: str, **params) -> str:
    return _query_link(reverse(name), **params)


def _query_link(path: str, **params) -> str:
    query = urlencode([(key, value) for key, value in params.items() if value not in (None, "")], doseq=True)
    return f"{path}?{query}" if query else path


def signed_link(period: stats.Period, **filters) -> str:
    return _link("projects:project-list", signed_from=period.start, signed_to=period.end, **filters)


def visits_link(period: stats.Period, **filters) -> str:
    return _link("projects:visit-list", date_from=period.start, date_to=period.end, **filters)


def current_chiefs() -> dict[int, list[ChainLeadership]]:
    """Current 链长 and 副链长 per chain id (one query)."""
    result: dict[int, list[ChainLeadership]] = defaultdict(list)
    for leadership in ChainLeadership.objects.current().select_related("leader").order_by("role", "start_date"):
        result[leadership.chain_id].append(leadership)
    return result


def dashboard(named: NamedPeriod) -> dict:
    """Everything the dashboard shows, in about a dozen queries whatever the data size.

    The chain table's stages are those of the period's end, like the funnel beside it; its city
    total is its own row, computed directly (a visit concerning two chains counts once in it).
    """
    period = named.period
    # The stage durations, the milestone rates (issue 16) and the signings per day of the monthly chart share one
    # scan of the period's signed projects; the rates are as of the period's end (today at most), like the
    # pipeline beside them.
    durations, milestones, signed_days = milestone_stats.stage_durations_milestone_rates_and_signings(
        period, as_of=min(period.end, timezone.localdate())
    )
    # The city's signed figures and each chain's come from one scan of the period's signed projects.
    city_signed, signed = stats.signed_summary_and_by_chain(period)
    # Projects engaged per chain, and the city's as their sum (a project has one chain): one scan of the links.
    engaged = stats_saturday.engaged_by_chain(period)
    # The monthly chart's visit rows, which add up to the city's visit figures: one read of the daily rollup.
    visit_months = stats_monthly.visit_months(period)
    summary = {
        **stats.summary(
            period,
            signed=city_signed,
            engaged=stats_saturday.engaged_total(engaged),
            visits=stats_monthly.visit_totals(visit_months),
        ),
        **durations,
    }
    visits = {row["pk"]: row for row in stats.visits_by_chain(period, engaged=engaged)}
    # The city's pipeline and each chain's stage counts: one scan of the stage deltas.
    pipeline, stage_counts = stats.pipeline_and_by_chain(period)
    monthly = stats_monthly.monthly(period, signed_days=signed_days, visit_rows=visit_months)
    # The lists behind the stage counts filter on the current stage: linked only when that is what is counted.
    stages_are_current = period.end >= timezone.localdate()
    # Lead firms (链主) are a few per chain: one query gives each chain's and the city's (a firm leading two is one).
    lead_roles = list(EnterpriseChainRole.objects.filter(is_lead=True).values_list("chain", "enterprise"))
    leads = Counter(chain for chain, _enterprise in lead_roles)
    chiefs = current_chiefs()

    # The project list's address, reversed once: the stage cells link to it 70 times.
    project_list = reverse("projects:project-list")

    def stage_cells(counts: dict[str, int], **filters) -> list[tuple]:
        return [
            (
                stage,
                counts.get(stage, 0),
                _query_link(project_list, stage=stage, **filters) if stages_are_current else None,
            )
            for stage in PIPELINE
        ]

    clusters = []
    for cluster in Cluster.objects.prefetch_related(Prefetch("chains", queryset=Chain.objects.order_by("sort_order"))):
        rows = []
        for chain in cluster.chains.all():
            chain_signed = signed.get(chain.pk) or stats.empty_signed_figures()
            rows.append(
                {
                    "chain": chain,
                    # Reversed here, once per computation of the figures, not on every view of the page.
                    "chain_url": reverse("projects:chain-detail", args=[chain.code]),
                    "stages": stage_cells(stage_counts.get(chain.pk, {}), chain=chain.code),
                    "signed": chain_signed,
                    # In 亿元 as the |yi filter shows it, formatted with the figures (the key holds the language).
                    "signed_investment_yi": yi(chain_signed["signed_investment"]),
                    "signed_link": signed_link(period, chain=chain.code),
                    "visits": visits[chain.pk],
                    "visits_link": visits_link(period, chain=chain.code),
                    "leads": leads.get(chain.pk, 0),
                    "chiefs": [item for item in chiefs[chain.pk] if item.role == LeadershipRole.CHIEF],
                }
            )
        clusters.append({"cluster": cluster, "rows": rows})
    city = {
        "stages": stage_cells({row["stage"]: row["projects"] for row in pipeline}),
        "signed": summary,
        "signed_investment_yi": yi(summary["signed_investment"]),
        "signed_link": signed_link(period),
        "visits": summary,
        "visits_link": visits_link(period),
        "leads": len({enterprise for _chain, enterprise in lead_roles}),
    }
    return {
        "summary": summary,
        # Funds in place and actual foreign investment (funds_stats): the dashboard's 实际外资 cards.
        "funds": funds_stats.funds_summary(period),
        "milestones": milestones,
        "bands": band_panel(period, summary),
        # Land supplied and recycled in the period (stats_land): one aggregate.
        "land": stats_land.land_summary(period),
        "clusters": clusters,
        "city": city,
        "stages_are_current": stages_are_current,
        "pipeline": pipeline,
        "pipeline_labels": [str(stage.label) for stage in PIPELINE],
        "links": {
            "signed": signed_link(period),
            "major": signed_link(period, major="true"),
            "visits": visits_link(period),
            "saturday": visits_link(period, saturday="true"),
        },
        "chart": {
            # Series names travel with the data, translated here like every other text.
            "labels": {
                "count": str(_("count")),
                "hundred_million": str(_("100M CNY")),
                "visits": str(_("Visits")),
                "person_times": str(_("person-times")),
                "signed_projects": str(_("Signed projects")),
                "signed_investment": str(_("Signed investment (100M CNY)")),
            },
            "months": [row["month"].strftime("%Y-%m") for row in monthly],
            "visits": [row["visits"] for row in monthly],
            "person_times": [row["person_times"] for row in monthly],
            "signed_projects": [row["signed_projects"] for row in monthly],
            "signed_investment_yi": [float(figures.yi(row["signed_investment"])) for row in monthly],
            "funnel": [
                {"name": row["label"], "value": row["projects"]} for row in pipeline if row["stage"] in PIPELINE
            ],
        },
    }


def chain_page(chain: Chain, named: NamedPeriod) -> dict:
    """A chain's page: leaders, lead firms, the map, its figures for the period, recent visits and signings."""
    period = named.period
    tree = chain_map(chain)
    return {
        "leaderships": ChainLeadership.objects.current().filter(chain=chain).select_related("leader").order_by("role"),
        "lead_roles": EnterpriseChainRole.objects.filter(chain=chain, is_lead=True).select_related("enterprise"),
        "chain_map": tree,
        # The same tree for the ECharts drawing beside the list (json_script; no further query).
        "chain_chart": chain_map_chart(chain, tree),
        # Stage lists show current stages: link the counts only when the period ends today or later.
        "pipeline_is_current": period.end >= timezone.localdate(),
        **cached(
            "chain",
            named,
            lambda: {
                "summary": {**stats.summary(period, chain=chain), **stats.stage_durations(period, chain=chain)},
                "funds": funds_stats.funds_summary(period, chain=chain),
                "pipeline": stats.pipeline(period, chain=chain),
            },
            chain.code,
        ),
        "recent_visits": InvestmentVisit.objects.filter(chains=chain)
        .select_related("enterprise")
        .prefetch_related("leaders")
        .order_by("-date", "-pk")[:10],
        "signings": Project.objects.filter(chain=chain, signed_date__isnull=False)
        .select_related("investor", "signing_event")
        .order_by("-signed_date", "-pk")[:10],
        "links": {
            "signed": signed_link(period, chain=chain.code),
            "visits": visits_link(period, chain=chain.code),
            "saturday": visits_link(period, chain=chain.code, saturday="true"),
            "major": signed_link(period, chain=chain.code, major="true"),
        },
    }


def projects_with_large_amounts():
    """Projects with an amount above its warning line (``PINGHU_AMOUNT_WARNINGS``), for review: largest first."""
    condition = Q()
    for field in PROJECT_AMOUNT_FIELDS:
        line = amount_warning_line(field)
        if line is not None:
            condition |= Q(**{f"{field}__gt": line})
    if not condition:
        return Project.objects.none()
    return Project.objects.filter(condition).select_related("chain", "investor").order_by("-total_investment", "pk")


def amount_warning_lines() -> list[tuple[str, object]]:
    """The amount fields of a project that have a warning line: (label, line), as the data-quality page states them."""
    lines = [
        (Project._meta.get_field(field).verbose_name, amount_warning_line(field)) for field in PROJECT_AMOUNT_FIELDS
    ]
    return [(label, line) for label, line in lines if line is not None]


# ---------------------------------------------------------------- bands and levels (issue 16)
def band_panel(period: stats.Period, summary: dict) -> list[dict]:
    """The dashboard's 规模分档 rows: per band, projects signed in the period and their investment.

    The figures are the signed summary's (``stats.signed_summary`` counts the bands in its query);
    each row links to the project list of the period filtered by the band.
    """
    return [{**row, "link": signed_link(period, band=row["band"])} for row in band_stats.band_rows(summary)]
