"""Server-rendered pages: the dashboard, a chain's page, visits, projects and signing conferences.

Views are thin: filters are the API's FilterSets, figures come from ``selectors``/``stats``,
writes go through ``services``. Who may read and change what is ``pinghu.permissions``:
pages check the role's model permission (403 otherwise) and, for a visit or project, its object rule.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chains.metrics import enterprise_metrics_over_years
from chains.models import Chain, Enterprise, EnterpriseChainRole
from pinghu.concurrency import stale_message, version_of
from pinghu.forms import bootstrap
from pinghu.history import history_entries
from pinghu.permissions import DENIED, EXPORT, may, readable
from pinghu.querystrings import without_format

from . import issue_stats, selectors
from .choices import OPEN_ISSUE_STATUSES
from .filters import EnterpriseIssueFilterSet, InvestmentVisitFilterSet, ProjectFilterSet
from .forms import FollowUpForm, IssueAdvanceForm, IssueForm, QuickVisitForm, TransitionForm
from .models import (
    CadreAssignment,
    EnterpriseIssue,
    FollowUp,
    InvestmentVisit,
    IssueStep,
    LandRenewal,
    Project,
    ProjectStageChange,
    SigningEvent,
    overdue_condition,
)
from .services import (
    issue_advance,
    issue_allowed_moves,
    issue_create,
    project_allowed_transitions,
    project_transition,
    visit_create,
    visit_update,
)

PAGE_SIZE = 50


def _named_period(request: HttpRequest) -> selectors.NamedPeriod:
    return selectors.resolve_period(request.GET.get("period"), request.GET.get("start"), request.GET.get("end"))


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _filtered(request: HttpRequest, filterset_class, queryset):
    """The API's FilterSet applied to ``queryset``: the filter (for the form) and the rows (none if invalid)."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    bootstrap(filterset.form)
    if not filterset.is_bound:
        return filterset, queryset
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


def _form_problems(form) -> str:
    """A refused form's errors on one line, each after its field's label (for a message on the next page)."""
    problems = list(form.non_field_errors()) + [
        f"{form.fields[name].label}: {error}"
        for name, errors in form.errors.items()
        for error in errors
        if name in form.fields
    ]
    return "; ".join(problems)


def _query_without_page(request: HttpRequest) -> str:
    return without_format(request.GET, "page").urlencode()


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not may(request.user, perm, obj):
        raise PermissionDenied(DENIED)


@readable("projects.view_project")
def dashboard(request: HttpRequest) -> HttpResponse:
    named = _named_period(request)
    context = selectors.cached("dashboard", named, lambda: selectors.dashboard(named))
    context.update({"named": named, "period_choices": selectors.PERIOD_CHOICES})
    return render(request, "projects/dashboard.html", context)


@readable("projects.view_project")
def chain_detail(request: HttpRequest, code: str) -> HttpResponse:
    chain = get_object_or_404(Chain.objects.select_related("cluster"), code=code)
    named = _named_period(request)
    context = selectors.chain_page(chain, named)
    context.update({"chain": chain, "named": named, "period_choices": selectors.PERIOD_CHOICES})
    return render(request, "projects/chain_detail.html", context)


@readable("projects.view_investmentvisit")
def visit_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        InvestmentVisit.objects.select_related("enterprise", "recorded_by")
        .prefetch_related("leaders", "chains")
        .order_by("-date", "-pk")
    )
    filterset, visits = _filtered(request, InvestmentVisitFilterSet, queryset)
    page = _page(request, visits)
    return render(
        request,
        "projects/visit_list.html",
        {
            "filter": filterset,
            "page": page,
            "count": page.paginator.count,
            "query": _query_without_page(request),
            "may_export": may(request.user, EXPORT),
        },
    )


@readable("projects.view_investmentvisit")
def visit_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    visit = get_object_or_404(InvestmentVisit, pk=pk) if pk is not None else None
    if visit is None:
        _require(request, "projects.add_investmentvisit")
    else:
        _require(request, "projects.change_investmentvisit", visit)
    form = QuickVisitForm(request.POST or None, instance=visit, user=request.user)
    # Validation (which locks an edited visit to check its version) and the save share one transaction.
    with transaction.atomic():
        if request.method == "POST" and form.is_valid():
            saved = _save_visit(request, form, visit)
            if saved is not None:
                messages.success(request, _("Visit saved: %(visit)s.") % {"visit": saved})
                return redirect("projects:visit-list")
    history = history_entries(visit) if visit is not None else None
    return render(request, "projects/visit_form.html", {"form": form, "visit": visit, "history": history})


def _save_visit(request: HttpRequest, form: QuickVisitForm, visit: InvestmentVisit | None) -> InvestmentVisit | None:
    """Create or update the visit through the services; on a refusal, put the reasons on the form."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if visit is None:
                return visit_create(
                    visit=form.instance,
                    leaders=data["leaders"],
                    chains=data["chains"],
                    projects=data["projects"],
                    new_projects=form.new_projects(),
                    new_enterprise=form.new_enterprise,
                    by=request.user,
                )
            return visit_update(
                visit=form.instance,
                leaders=data["leaders"],
                chains=data["chains"],
                projects=data["projects"],
                new_enterprise=form.new_enterprise,
            )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


@readable("projects.view_investmentvisit")
def overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    visits = (
        InvestmentVisit.objects.filter(recorded_by=request.user, follow_up_date__lt=today)
        .select_related("enterprise")
        .order_by("follow_up_date")
    )
    follow_ups = (
        FollowUp.objects.filter(author=request.user, due_date__lt=today).select_related("project").order_by("due_date")
    )
    return render(request, "projects/overdue.html", {"visits": visits, "follow_ups": follow_ups, "today": today})


@readable("projects.view_project")
def project_list(request: HttpRequest) -> HttpResponse:
    queryset = Project.objects.with_major().select_related("chain", "investor").order_by("-updated_at", "-pk")
    filterset, projects = _filtered(request, ProjectFilterSet, queryset)
    page = _page(request, projects)
    query = _query_without_page(request)
    return render(
        request,
        "projects/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "count": page.paginator.count,
            "query": query,
            "totals": projects.aggregate(investment=Sum("total_investment")),
            "may_export": may(request.user, EXPORT),
        },
    )


@readable("projects.view_project")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.with_major()
        .select_related("chain", "investor", "signing_event", "responsible_official")
        .prefetch_related(
            Prefetch("stage_changes", queryset=ProjectStageChange.objects.select_related("by").order_by("at", "pk")),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("author")),
            Prefetch("visits", queryset=InvestmentVisit.objects.select_related("enterprise").order_by("-date")),
        ),
        pk=pk,
    )
    may_change = may(request.user, "projects.change_project", project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "may_change": may_change,
            "may_follow_up": may_change and may(request.user, "projects.add_followup"),
            "allowed": project_allowed_transitions(project) if may_change else [],
            "follow_up_form": FollowUpForm(initial={"date": timezone.localdate()}),
            "today": timezone.localdate(),
            "history": history_entries(project),
            "version": version_of(project),
        },
    )


@login_required
@require_POST
def project_change_stage(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    _require(request, "projects.change_project", project)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(error for errors in form.errors.values() for error in errors))
        return redirect("projects:project-detail", pk=pk)
    with transaction.atomic():
        # The page showed the moves allowed from the stage it read: refuse if the project changed since.
        current = Project.objects.select_for_update().get(pk=project.pk)
        if request.POST.get("version") != version_of(current):
            messages.error(request, stale_message(current))
            return redirect("projects:project-detail", pk=pk)
        try:
            project_transition(
                current,
                form.cleaned_data["to_stage"],
                by=request.user,
                on_date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Stage changed."))
    return redirect("projects:project-detail", pk=pk)


@login_required
@require_POST
def project_add_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    _require(request, "projects.add_followup")
    _require(request, "projects.change_project", project)
    form = FollowUpForm(request.POST, instance=FollowUp(project=project, author=request.user))
    if form.is_valid():
        form.save()
        messages.success(request, _("Follow-up added."))
    else:
        messages.error(request, _form_problems(form) or _("Please check the follow-up."))
    return redirect("projects:project-detail", pk=pk)


@readable("projects.view_signingevent")
def signing_event_list(request: HttpRequest) -> HttpResponse:
    events = SigningEvent.objects.annotate(
        project_count=Count("projects"), investment=Sum("projects__total_investment")
    ).order_by("-date", "-pk")
    return render(request, "projects/signing_event_list.html", {"page": _page(request, events)})


@readable("projects.view_signingevent")
def signing_event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        SigningEvent.objects.annotate(
            project_count=Count("projects"),
            investment=Sum("projects__total_investment"),
            foreign=Sum("projects__foreign_investment"),
        ),
        pk=pk,
    )
    projects = event.projects.select_related("chain", "investor").order_by("chain__sort_order", "name")
    return render(request, "projects/signing_event_detail.html", {"event": event, "projects": projects})


# ---------------------------------------------------------------- enterprise services


@readable("projects.view_enterpriseissue")
def issue_list(request: HttpRequest) -> HttpResponse:
    """The problem board: filters, this year's figures, and the problems with their status and due date."""
    today = timezone.localdate()
    queryset = (
        EnterpriseIssue.objects.select_related("enterprise")
        .annotate(overdue=ExpressionWrapper(overdue_condition(today), output_field=BooleanField()))
        .order_by("-received_on", "-pk")
    )
    filterset, issues = _filtered(request, EnterpriseIssueFilterSet, queryset)
    page = _page(request, issues)
    year = selectors.resolve_period("year", None, None).period
    return render(
        request,
        "projects/issue_list.html",
        {
            "filter": filterset,
            "page": page,
            "count": page.paginator.count,
            "query": _query_without_page(request),
            "today": today,
            "summary": issue_stats.issue_summary(year, today=today),
            "may_export": may(request.user, EXPORT),
        },
    )


@readable("projects.view_enterpriseissue")
def issue_new(request: HttpRequest) -> HttpResponse:
    _require(request, "projects.add_enterpriseissue")
    form = bootstrap(IssueForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            issue = issue_create(issue=form.instance, by=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Problem recorded."))
            return redirect("projects:issue-detail", pk=issue.pk)
    return render(request, "projects/issue_form.html", {"form": form})


@readable("projects.view_enterpriseissue")
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(
        EnterpriseIssue.objects.select_related("enterprise", "salon__host", "visit", "recorded_by").prefetch_related(
            Prefetch("steps", queryset=IssueStep.objects.select_related("by").order_by("on", "pk"))
        ),
        pk=pk,
    )
    may_change = may(request.user, "projects.change_enterpriseissue", issue)
    form = bootstrap(IssueAdvanceForm(initial={"on": timezone.localdate(), "unit": issue.assigned_unit}))
    return render(
        request,
        "projects/issue_detail.html",
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
    _require(request, "projects.change_enterpriseissue", issue)
    form = IssueAdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_problems(form))
        return redirect("projects:issue-detail", pk=pk)
    data = form.cleaned_data
    try:
        issue_advance(issue, data.pop("to_status"), by=request.user, **data)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, _("Problem updated."))
    return redirect("projects:issue-detail", pk=pk)


@readable("chains.view_enterprise")
def my_firms(request: HttpRequest) -> HttpResponse:
    """千名干部助千企: the firms the signed-in cadre currently helps, with last contact and open problems."""
    assignments = CadreAssignment.objects.current().of_user(request.user).values("enterprise")
    firms = (
        issue_stats.last_contacts()
        .filter(pk__in=assignments)
        .annotate(open_issues=Count("issues", filter=Q(issues__status__in=OPEN_ISSUE_STATUSES), distinct=True))
        .order_by("last_contact", "name")
    )
    return render(request, "projects/my_firms.html", {"firms": firms, "never": issue_stats.NEVER})


@readable("chains.view_enterprise")
def not_visited(request: HttpRequest) -> HttpResponse:
    """The alert list: followed firms with no visit, salon or problem in the last N days."""
    try:
        days = min(max(int(request.GET.get("days", 90)), 1), 3650)
    except ValueError:
        days = 90
    firms = issue_stats.not_visited(days)
    return render(
        request,
        "projects/not_visited.html",
        {"page": _page(request, firms), "days": days, "never": issue_stats.NEVER, "query": f"days={days}"},
    )


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
        "renewals": LandRenewal.objects.filter(enterprise=enterprise).select_related("project"),
        "cadre": CadreAssignment.objects.current()
        .filter(enterprise=enterprise)
        .select_related("cadre_user", "cadre_leader")
        .first(),
    }
    context["metrics"] = enterprise_metrics_over_years(enterprise)
    return render(request, "projects/enterprise_detail.html", context)
