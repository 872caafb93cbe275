"""``/search/?q=``: results grouped by type (works without JavaScript); ``/search/quick/?q=``: the navbar's dropdown."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pinghu.search import MAX_QUERY

from .selectors import KIND_KEYS, site_search

PAGE_LIMIT = 8
ONE_KIND_LIMIT = 50
QUICK_LIMIT = 3


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    value = request.GET.get("q", "")[: MAX_QUERY * 2].strip()
    only = request.GET.get("type") if request.GET.get("type") in KIND_KEYS else None
    limit = ONE_KIND_LIMIT if only else PAGE_LIMIT
    groups = site_search(request.user, value, limit=limit, only=only)
    context = {"q": value, "groups": groups, "only": only, "count": sum(len(group.hits) for group in groups)}
    return render(request, "search/results.html", context)


@login_required
def search_quick(request: HttpRequest) -> JsonResponse:
    value = request.GET.get("q", "")[: MAX_QUERY * 2].strip()
    groups = site_search(request.user, value, limit=QUICK_LIMIT)
    return JsonResponse(
        {
            "q": value,
            "groups": [
                {
                    "key": group.key,
                    "label": group.label,
                    "hits": [
                        {"title": hit.title, "url": hit.url, "why": [why.as_text() for why in hit.why[:1]]}
                        for hit in group.hits
                    ],
                }
                for group in groups
            ],
        }
    )
