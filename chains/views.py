"""Server-rendered pages of the chains app: the per-mu ranking (亩均论英雄), the firm filter's suggestions.

Thin like the other pages: filters are the API's FilterSet, figures come from ``chains.stats``.
Reading needs a login and the role's permission to view per-mu figures (every role has it).
"""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pinghu.filter_ui import plain_form
from pinghu.forms import bootstrap
from pinghu.permissions import EXPORT, may, readable
from pinghu.querystrings import without_format

from . import selectors, stats
from .choices import RENEWAL_GRADES
from .filters import EnterpriseAnnualMetricFilterSet, YearFilter

PAGE_SIZE = 50
VIEW_METRICS = "chains.view_enterpriseannualmetric"


def _year(request: HttpRequest) -> int:
    """The year asked for, if valid; otherwise the default year of the evaluation."""
    field = YearFilter().field
    try:
        return field.clean(request.GET.get("year")) or stats.default_year()
    except forms.ValidationError:
        return stats.default_year()


@readable(VIEW_METRICS)
def per_mu_ranking(request: HttpRequest) -> HttpResponse:
    """The year's firms ranked by tax per mu with their grades, and the town and chain tables."""
    year = _year(request)
    data = request.GET.copy()
    data["year"] = str(year)
    filterset = EnterpriseAnnualMetricFilterSet(data, queryset=stats.ranking(year))
    # Choosing one firm out of every enterprise is the API's job; the page filters by year, town, chain, grade.
    del filterset.form.fields["enterprise"]
    bootstrap(plain_form(filterset))
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = without_format(request.GET, "page")
    query["year"] = str(year)
    thresholds, own_scheme = stats.thresholds_for(year)
    return render(
        request,
        "chains/per_mu_ranking.html",
        {
            "year": year,
            "years": stats.metric_years(),
            "filter": filterset,
            "page": page,
            "count": page.paginator.count,
            "query": query.urlencode(),
            "thresholds": thresholds,
            "own_scheme": own_scheme,
            "total": stats.per_mu_total(year),
            "by_town": stats.per_mu_by_town(year),
            "by_chain": stats.per_mu_by_chain(year),
            "renewal_grades": RENEWAL_GRADES,
            "may_export": may(request.user, EXPORT),
        },
    )


@readable("chains.view_enterprise")
def enterprise_suggest(request: HttpRequest) -> JsonResponse:
    """Firms for a list page's firm filter (``pinghu.filter_ui``) and the visit form's firm picker: ``?q=`` gives
    ``[{"id", "name", ...}]``, at most 20; ``&chains=1`` adds each firm's chains."""
    firms = selectors.enterprise_suggestions(request.GET.get("q", ""), with_chains=request.GET.get("chains") == "1")
    return JsonResponse(firms, safe=False)
