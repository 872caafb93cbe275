"""Server-rendered pages: the dashboard, a chain's page, visits, projects, signing conferences, data quality.

Views are thin: filters are the API's FilterSets, figures come from ``selectors``/``stats``,
writes go through ``services``. Who may read and change what is ``pinghu.permissions``:
pages check the role's model permission (403 otherwise) and, for a visit or project, its object rule.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chains.models import Chain
from chains.roles import MERGE
from chains.selectors import likely_duplicate_enterprises
from chains.services import enterprise_merge
from pinghu.concurrency import version_of
from pinghu.forms import add_refusal
from pinghu.history import history_entries
from pinghu.pages import (
    filtered,
    form_problems,
    paginate,
    post_once,
    query_without_page,
    queue_answer,
    queue_refusal,
    queued,
    replayed_post,
    require,
)
from pinghu.permissions import EXPORT, may, readable

from . import phone, selectors
from .bands import BANDS, band_annotations
from .bulk_views import selection_context
from .filters import InvestmentVisitFilterSet, ProjectFilterSet
from .forms import EnterpriseMergeForm, FollowUpForm, ProjectMilestonesForm, QuickVisitForm, TransitionForm
from .funds_stats import with_funds
from .funds_views import funds_section
from .models import (
    FollowUp,
    InvestmentVisit,
    LandParcel,
    Project,
    ProjectStageChange,
    SigningEvent,
)
from .moves import project_moves_for
from .periods import PERIOD_CHOICES, NamedPeriod, resolve_period
from .selectors import amount_warning_lines, projects_with_large_amounts
from .services import (
    follow_up_save,
    project_transition,
    project_update,
    visit_create,
    visit_update,
)

VISIT_NEW = "page:visit-new"  # the IdempotencyKey scope of the new-visit form


def _named_period(request: HttpRequest) -> NamedPeriod:
    """The page's period; a refused one (reversed dates, say) is this year's, and the selector shows why."""
    return resolve_period(
        request.GET.get("period"),
        request.GET.get("start"),
        request.GET.get("end"),
        shown_start=request.GET.get("shown_start"),
        shown_end=request.GET.get("shown_end"),
    )


@readable("projects.view_project")
def dashboard(request: HttpRequest) -> HttpResponse:
    named = _named_period(request)
    context = selectors.cached("dashboard", named, lambda: selectors.dashboard(named))
    context.update({"named": named, "period_choices": PERIOD_CHOICES})
    if phone.has_official_home(request.user):  # an official's home starts with their visits (issue 21)
        context["official_home"] = phone.official_home(request.user)
    return render(request, "projects/dashboard.html", context)


@readable("projects.view_project")
def chain_detail(request: HttpRequest, code: str) -> HttpResponse:
    chain = get_object_or_404(Chain.objects.select_related("cluster"), code=code)
    named = _named_period(request)
    context = selectors.chain_page(chain, named)
    context.update({"chain": chain, "named": named, "period_choices": PERIOD_CHOICES})
    return render(request, "projects/chain_detail.html", context)


@readable("projects.view_investmentvisit")
def visit_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        InvestmentVisit.objects.select_related("enterprise", "recorded_by", "host_unit")
        .prefetch_related("leaders", "chains")
        .order_by("-date", "-pk")
    )
    filterset, visits = filtered(request, InvestmentVisitFilterSet, queryset)
    page = paginate(request, visits)
    return render(
        request,
        "projects/visit_list.html",
        {
            "filter": filterset,
            "page": page,
            "count": page.paginator.count,
            "query": query_without_page(request),
            "may_export": may(request.user, EXPORT),
        },
    )


@readable("projects.view_investmentvisit")
def visit_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    visit = get_object_or_404(InvestmentVisit, pk=pk) if pk is not None else None
    if visit is None:
        require(request, "projects.add_investmentvisit")
    else:
        require(request, "projects.change_investmentvisit", visit)
    if request.method == "POST" and visit is None and (replay := replayed_post(request, VISIT_NEW)) is not None:
        # The same form sent again (a double click, the offline queue retrying): the first answer, no second visit.
        return queue_answer(request, replay, replayed=True)
    form = QuickVisitForm(request.POST or None, instance=visit, user=request.user)
    if request.method == "POST" and form.is_valid():

        def save() -> HttpResponse | None:
            saved = _save_visit(request, form, visit)
            if saved is None:
                return None
            messages.success(request, _("Visit saved: %(visit)s.") % {"visit": saved})
            return redirect("projects:visit-detail", pk=saved.pk)  # the saved visit, as recorded

        response = post_once(request, VISIT_NEW, save) if visit is None else save()
        if response is not None:
            return queue_answer(request, response)
    if queued(request):
        return queue_refusal(form)  # the offline queue keeps it as returned (退回), with these messages
    history = history_entries(visit) if visit is not None else None
    return render(request, "projects/visit_form.html", {"form": form, "visit": visit, "history": history})


def _save_visit(request: HttpRequest, form: QuickVisitForm, visit: InvestmentVisit | None) -> InvestmentVisit | None:
    """Create or update the visit through the services; put a refusal's reasons (a stale version too) on the form."""
    data = form.cleaned_data
    try:
        if visit is None:
            return visit_create(
                visit=form.instance,
                leaders=data["leaders"],
                chains=data["chains"],
                projects=data["projects"],
                new_projects=form.new_projects(),
                new_enterprise=form.new_enterprise,
                by=request.user,
                confirm_large_amounts=bool(data.get("confirm_large_amounts")),
                photos=request.FILES.getlist("photos"),
            )
        return visit_update(
            visit=form.instance,
            leaders=data["leaders"],
            chains=data["chains"],
            projects=data["projects"],
            new_enterprise=form.new_enterprise,
            expected_version=form.expected_version,
            by=request.user,
            photos=request.FILES.getlist("photos"),
            remove_photos=[pk for pk in request.POST.getlist("remove_photos") if pk.isdigit()],
        )
    except ValidationError as error:
        add_refusal(form, error)
    except PermissionDenied as denied:
        # A new lead without the permission to add projects: the visit itself may still be saved without it.
        form.add_error("new_lead_name", str(denied))
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
    queryset = with_funds(queryset)  # funds in place to date and 到位率 per row (projects.funds_stats)
    filterset, projects = filtered(request, ProjectFilterSet, queryset)
    page = paginate(request, projects)
    query = query_without_page(request)
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
            **selection_context(request),
        },
    )


@readable("projects.view_project")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, pk)


def _project_page(
    request: HttpRequest, pk: int, *, milestones_form: ProjectMilestonesForm | None = None, status: int = 200
) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.with_major()
        .annotate(**band_annotations())
        .select_related("chain", "investor", "signing_event", "responsible_official", "responsible_unit")
        .prefetch_related(
            Prefetch("stage_changes", queryset=ProjectStageChange.objects.select_related("by").order_by("at", "pk")),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("author")),
            Prefetch("visits", queryset=InvestmentVisit.objects.select_related("enterprise").order_by("-date")),
            Prefetch("land_parcels", queryset=LandParcel.objects.select_related("origin").order_by("number")),
        ),
        pk=pk,
    )
    may_change = may(request.user, "projects.change_project", project)
    moves = project_moves_for(project, request.user) if may_change else []
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "may_change": may_change,
            "may_follow_up": may_change and may(request.user, "projects.add_followup"),
            "moves": moves,
            "allowed": [move.to_stage for move in moves],
            "follow_up_form": FollowUpForm(initial={"date": timezone.localdate()}),
            "today": timezone.localdate(),
            "history": history_entries(project),
            "version": version_of(project),
            **funds_section(request, project),
            "milestones_form": milestones_form or (ProjectMilestonesForm(instance=project) if may_change else None),
            "bands": [band.label for band in BANDS if getattr(project, f"band_{band.key}", False)],
        },
        status=status,
    )


@login_required
@require_POST
def project_change_stage(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    require(request, "projects.change_project", project)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect("projects:project-detail", pk=pk)
    try:
        project_transition(
            project,
            form.cleaned_data["to_stage"],
            by=request.user,
            on_date=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
            # The page showed the moves allowed from the version it read: refused if the project changed
            # since (a form without its version counts as stale).
            expected_version=request.POST.get("version", ""),
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, _("Stage changed."))
    return redirect("projects:project-detail", pk=pk)


@login_required
@require_POST
def project_edit_milestones(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the approval milestones through ``project_update``; a refusal shows the page again with the form."""
    project = get_object_or_404(Project, pk=pk)
    require(request, "projects.change_project", project)
    form = ProjectMilestonesForm(request.POST, instance=project)
    if form.is_valid():
        try:
            project_update(project=project, data=form.changes, expected_version=form.expected_version, by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
    if not form.is_valid():
        return _project_page(request, pk, milestones_form=form, status=400)
    messages.success(request, _("Milestones saved."))
    return redirect("projects:project-detail", pk=pk)


@login_required
@require_POST
def project_add_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    require(request, "projects.add_followup")
    require(request, "projects.change_project", project)
    form = FollowUpForm(request.POST, instance=FollowUp(project=project, author=request.user))
    if form.is_valid():
        try:
            follow_up_save(follow_up=form.instance, by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
    if form.is_valid():
        messages.success(request, _("Follow-up added."))
    else:
        messages.error(request, form_problems(form) or _("Please check the follow-up."))
    return redirect("projects:project-detail", pk=pk)


@readable("projects.view_signingevent")
def signing_event_list(request: HttpRequest) -> HttpResponse:
    events = SigningEvent.objects.annotate(
        project_count=Count("projects"), investment=Sum("projects__total_investment")
    ).order_by("-date", "-pk")
    return render(request, "projects/signing_event_list.html", {"page": paginate(request, events)})


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


@readable("chains.change_enterprise")
def data_quality(request: HttpRequest) -> HttpResponse:
    """数据质量, for bureau staff: amounts above their warning line to review, and firms that are likely one."""
    section = "duplicates" if request.GET.get("show") == "duplicates" else "amounts"
    rows = likely_duplicate_enterprises() if section == "duplicates" else projects_with_large_amounts()
    return render(
        request,
        "projects/data_quality.html",
        {
            "section": section,
            "page": paginate(request, rows),
            "query": f"show={section}",
            "lines": amount_warning_lines(),
            "may_merge": may(request.user, MERGE),
        },
    )


@login_required
@require_POST
def enterprise_merge_view(request: HttpRequest) -> HttpResponse:
    """Merge one firm into another (``chains.services.enterprise_merge``); back to the duplicates with the outcome."""
    require(request, MERGE)
    form = EnterpriseMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
    else:
        keep, duplicate = form.cleaned_data["keep"], form.cleaned_data["duplicate"]
        try:
            moved = enterprise_merge(keep=keep, duplicate=duplicate, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            count = sum(moved.values())
            messages.success(
                request,
                _("%(duplicate)s was merged into %(keep)s; %(count)d linked records moved.")
                % {"duplicate": duplicate.name, "keep": keep.name, "count": count},
            )
    return redirect(f"{reverse('projects:data-quality')}?show=duplicates")
