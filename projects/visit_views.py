"""One visit's page (issue 21): everything it records, its photos and its history; the visit form lands here."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pinghu.history import history_entries
from pinghu.links import page_url
from pinghu.permissions import may, readable

from .models import InvestmentVisit, Project


@readable("projects.view_investmentvisit")
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Read by every role that reads the visit list; the edit link follows the visit's object rule."""
    visit = get_object_or_404(
        InvestmentVisit.objects.select_related("enterprise", "host_unit", "recorded_by").prefetch_related(
            "leaders",
            "chains",
            Prefetch("projects", queryset=Project.objects.select_related("chain").order_by("name", "pk")),
        ),
        pk=pk,
    )
    return render(
        request,
        "projects/visit_detail.html",
        {
            "visit": visit,
            "may_change": may(request.user, "projects.change_investmentvisit", visit),
            "firm_url": page_url("chains.Enterprise", visit.enterprise_id),  # the firm's page lives in an app above
            "history": history_entries(visit),
        },
    )
