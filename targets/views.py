"""Pages of targets and assessment (目标考核): a year's targets, a target, the ranking of towns and units, a town.

Everyone signed in reads them (``targets.view_target``, every role: ``targets.roles``); the figures are
those of ``targets.selectors`` as of the ``?as_of=`` day, so "where were we at the end of June" is a link.
"""

import datetime
from collections import Counter

from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from chains.choices import Town
from pinghu.concurrency import version_of
from pinghu.pages import paginate, query_without_page
from pinghu.permissions import EXPORT, may, readable

from . import pages
from .choices import Metric, ScopeKind
from .models import Target
from .progress import time_progress
from .selectors import monthly_trend, rankings, rows_behind, target_progress, weights_of_year

READ = "targets.view_target"
# The targets page's chart shows this many targets at most (the table lists them all).
CHART_ROWS = 20


def _years(day: pages.Day) -> list[int]:
    """The years with targets, and this year (one query)."""
    bounds = Target.objects.aggregate(first=Min("year_from"), last=Max("year_to"))
    first = min(bounds["first"] or day.today.year, day.year, day.today.year)
    last = max(bounds["last"] or day.today.year, day.year, day.today.year)
    return list(range(last, first - 1, -1))


def _common(request: HttpRequest, day: pages.Day) -> dict:
    return {
        "day": day,
        "years": _years(day),
        "may_add": may(request.user, "targets.add_target"),
        "may_export": may(request.user, EXPORT),
        # Month ends of the year up to today: "where were we at the end of June" in one click.
        "month_ends": _month_ends(day),
    }


def _month_ends(day: pages.Day) -> list[datetime.date]:
    ends = []
    for month in range(1, 13):
        end = (datetime.date(day.year, month, 1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
            days=1
        )
        if end >= day.today:
            break
        ends.append(end)
    return ends


@readable(READ)
def target_list(request: HttpRequest) -> HttpResponse:
    day = pages.resolve_day(request.GET)
    kind = pages.resolve_kind(request.GET)
    rows = pages.shown(target_progress(day.year, day.as_of, scope_kind=kind))
    chart_rows = [item for item in rows if item.target.scope_kind == (kind or ScopeKind.CITY)][:CHART_ROWS]
    context = {
        **_common(request, day),
        "rows": rows,
        "kind": kind,
        "kinds": ScopeKind.choices,
        "query": query_without_page(request),
        # The year's own time progress (a multi-year target's differs: its row shows its own).
        "time_progress": time_progress(day.year, day.year, day.as_of),
        "chart": pages.bars_chart(chart_rows) if chart_rows else None,
    }
    return render(request, "targets/target_list.html", context)


@readable(READ)
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("cluster", "chain", "set_by"), pk=pk)
    day = pages.resolve_day(request.GET)
    # A multi-year target is shown for one of its years (the as-of day's, within its span).
    year = min(max(day.year, target.year_from), target.year_to)
    day = pages.Day(year=year, as_of=day.as_of, today=day.today)
    progress = next(
        row for row in target_progress(year, day.as_of, scope_kind=target.scope_kind) if row.target.pk == target.pk
    )
    behind = pages.ordered_behind(rows_behind(target, day.as_of))
    page = paginate(request, behind)
    context = {
        **_common(request, day),
        "target": target,
        "item": pages.shown([progress])[0],
        "span_years": list(range(target.year_from, target.year_to + 1)),
        "chart": pages.trend_chart(monthly_trend(target, year, day.as_of)),
        "page": page,
        "count": page.paginator.count,
        "entries": [pages.behind_entry(row) for row in page],
        "figure_heading": pages.behind_heading(behind.model),
        "may_change": may(request.user, "targets.change_target"),
        "may_delete": may(request.user, "targets.delete_target"),
        "version": version_of(target),
        "query": query_without_page(request),
    }
    return render(request, "targets/target_detail.html", context)


def _ranking_metrics(rows) -> list[str]:
    present = {metric for row in rows for metric in row.progress}
    return [metric for metric in Metric.values if metric in present]


@readable(READ)
def ranking(request: HttpRequest) -> HttpResponse:
    day = pages.resolve_day(request.GET)
    kind = request.GET.get("kind") if request.GET.get("kind") in (ScopeKind.TOWN, ScopeKind.UNIT) else ScopeKind.TOWN
    rows = rankings(day.year, day.as_of, scope_kind=kind)
    metrics = _ranking_metrics(rows)
    weights = weights_of_year(day.year)
    labels = dict(Metric.choices)
    metric_ties = {metric: _tied(row.ranks.get(metric) for row in rows) for metric in metrics}
    context = {
        "may_weigh": may(request.user, "targets.change_assessmentweight"),
        **_common(request, day),
        "kind": kind,
        "kinds": [(ScopeKind.TOWN, ScopeKind.TOWN.label), (ScopeKind.UNIT, ScopeKind.UNIT.label)],
        "metrics": [{"metric": metric, "label": labels[metric], "weight": weights[metric]} for metric in metrics],
        "rows": [
            {
                "row": row,
                "cells": [
                    (row.progress.get(metric), row.ranks.get(metric), row.ranks.get(metric) in metric_ties[metric])
                    for metric in metrics
                ],
            }
            for row in rows
        ],
        "tied": _tied(row.rank for row in rows),
    }
    return render(request, "targets/ranking.html", context)


def _tied(ranks) -> set:
    """The ranks shared by more than one row (shown as 并列)."""
    counts = Counter(rank for rank in ranks if rank is not None)
    return {rank for rank, count in counts.items() if count > 1}


@readable(READ)
def town_detail(request: HttpRequest, code: str) -> HttpResponse:
    if code not in Town.values:
        raise Http404(_("No such town."))
    day = pages.resolve_day(request.GET)
    rows = pages.shown(target_progress(day.year, day.as_of, scope_kind=ScopeKind.TOWN, scope=code))
    standing = next((row for row in rankings(day.year, day.as_of, ScopeKind.TOWN) if row.scope == code), None)
    context = {
        **_common(request, day),
        "town": code,
        "town_label": Town(code).label,
        "rows": rows,
        "standing": standing,
    }
    return render(request, "targets/town_detail.html", context)
