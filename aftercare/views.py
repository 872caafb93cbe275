"""Pages of the service of established firms: the problem board, a problem, my firms, firms not visited, a firm.

Views are thin: filters are the API's FilterSets, figures come from ``stats``, writes go through
``services``; who may do what is ``pinghu.permissions``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chains.models import Enterprise, EnterpriseChainRole
from chains.stats import enterprise_metrics_over_years
from pinghu.concurrency import version_of
from pinghu.forms import bootstrap
from pinghu.history import history_entries
from pinghu.pages import filtered, form_problems, paginate, query_without_page, require
from pinghu.permissions import EXPORT, may, readable
from projects.models import InvestmentVisit, LandParcel, Project, VisitPhoto
from projects.stats import Period

from . import stats
from .choices import OPEN_ISSUE_STATUSES
from .filters import EnterpriseIssueFilterSet
from .forms import IssueAdvanceForm, IssueForm
from .models import CadreAssignment, EnterpriseIssue, IssueStep, LandRenewal, overdue_condition
from .services import issue_advance, issue_allowed_moves, issue_create


@readable("aftercare.view_enterpriseissue")
def issue_list(request: HttpRequest) -> HttpResponse:
    """The problem board: filters, this year's figures, and the problems with their status and due date."""
    today = timezone.localdate()
    queryset = (
        EnterpriseIssue.objects.select_related("enterprise", "assigned_unit")
        .annotate(overdue=ExpressionWrapper(overdue_condition(today), output_field=BooleanField()))
        .order_by("-received_on", "-pk")
    )
    filterset, issues = filtered(request, EnterpriseIssueFilterSet, queryset)
    page = paginate(request, issues)
    year = Period.year_to_date(today)
    return render(
        request,
        "aftercare/issue_list.html",
        {
            "filter": filterset,
            "page": page,
            "count": page.paginator.count,
            "query": query_without_page(request),
            "today": today,
            "summary": stats.issue_summary(year, today=today),
            "may_export": may(request.user, EXPORT),
        },
    )


@readable("aftercare.view_enterpriseissue")
def issue_new(request: HttpRequest) -> HttpResponse:
    require(request, "aftercare.add_enterpriseissue")
    form = bootstrap(IssueForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            issue = issue_create(issue=form.instance, by=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Problem recorded."))
            return redirect("aftercare:issue-detail", pk=issue.pk)
    return render(request, "aftercare/issue_form.html", {"form": form})


@readable("aftercare.view_enterpriseissue")
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(
        EnterpriseIssue.objects.select_related(
            "enterprise", "salon__host", "visit", "recorded_by", "assigned_unit"
        ).prefetch_related(Prefetch("steps", queryset=IssueStep.objects.select_related("by").order_by("on", "pk"))),
        pk=pk,
    )
    may_change = may(request.user, "aftercare.change_enterpriseissue", issue)
    form = bootstrap(
        IssueAdvanceForm(
            initial={"on": timezone.localdate(), "unit": issue.assigned_unit_id, "version": version_of(issue)}
        )
    )
    return render(
        request,
        "aftercare/issue_detail.html",
        {
            "issue": issue,
            "moves": issue_allowed_moves(issue) if may_change else [],
            "form": form,
            "history": history_entries(issue),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def issue_advance_view(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(EnterpriseIssue, pk=pk)
    require(request, "aftercare.change_enterpriseissue", issue)
    form = IssueAdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect("aftercare:issue-detail", pk=pk)
    data = form.cleaned_data
    try:
        issue_advance(
            issue, data.pop("to_status"), by=request.user, expected_version=data.pop("version") or None, **data
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, _("Problem updated."))
    return redirect("aftercare:issue-detail", pk=pk)


@readable("chains.view_enterprise")
def my_firms(request: HttpRequest) -> HttpResponse:
    """千名干部助千企: the firms the signed-in cadre currently helps, with last contact and open problems."""
    assignments = CadreAssignment.objects.current().of_user(request.user).values("enterprise")
    firms = (
        stats.last_contacts()
        .filter(pk__in=assignments)
        .annotate(open_issues=Count("issues", filter=Q(issues__status__in=OPEN_ISSUE_STATUSES), distinct=True))
        .order_by("last_contact", "name")
    )
    return render(request, "aftercare/my_firms.html", {"firms": firms, "never": stats.NEVER})


@readable("chains.view_enterprise")
def not_visited(request: HttpRequest) -> HttpResponse:
    """The alert list: followed firms with no visit, salon or problem in the last N days."""
    try:
        days = min(max(int(request.GET.get("days", 90)), 1), 3650)
    except ValueError:
        days = 90
    firms = stats.not_visited(days)
    return render(
        request,
        "aftercare/not_visited.html",
        {"page": paginate(request, firms), "days": days, "never": stats.NEVER, "query": f"days={days}"},
    )


FIRM_PAGE_PHOTOS = 12


@readable("chains.view_enterprise")
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One firm: its chain roles, visits, projects, problems, cadre and per-mu metrics over the years."""
    enterprise = get_object_or_404(Enterprise, pk=pk)
    context = {
        "enterprise": enterprise,
        "roles": EnterpriseChainRole.objects.filter(enterprise=enterprise).select_related("chain", "node"),
        "visits": InvestmentVisit.objects.filter(enterprise=enterprise)
        .prefetch_related("leaders")
        .order_by("-date")[:20],
        "projects": Project.objects.filter(investor=enterprise).select_related("chain").order_by("-updated_at"),
        "issues": EnterpriseIssue.objects.filter(enterprise=enterprise).order_by("-received_on", "-pk")[:50],
        "renewals": LandRenewal.objects.filter(enterprise=enterprise).select_related("project", "parcel"),
        "parcels": LandParcel.objects.filter(origin=enterprise).select_related("project").order_by("number"),
        "cadre": CadreAssignment.objects.current()
        .filter(enterprise=enterprise)
        .select_related("cadre_user", "cadre_leader")
        .first(),
    }
    context["metrics"] = enterprise_metrics_over_years(enterprise)
    # Photos of its visits, recent first, for those who may read visits (the photo view checks again).
    if may(request.user, "projects.view_investmentvisit"):
        context["photos"] = (
            VisitPhoto.objects.filter(visit__enterprise=enterprise)
            .select_related("visit")
            .order_by("-visit__date", "-visit_id", "position", "pk")[:FIRM_PAGE_PHOTOS]
        )
    return render(request, "aftercare/enterprise_detail.html", context)
