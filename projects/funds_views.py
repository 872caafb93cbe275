"""The funds in place section of the project page: the months with running totals, and the form bureau staff use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinghu.forms import add_refusal
from pinghu.pages import form_problems, require
from pinghu.permissions import may

from .forms import ProjectFundsForm
from .funds_stats import project_funds_months, with_funds
from .models import Project, ProjectFunds
from .services import project_funds_create, project_funds_update


def funds_section(request: HttpRequest, project: Project) -> dict:
    """What the project page shows of funds in place, in two queries: the months (running totals), the to-date figures.

    ``?funds=<id>`` opens that month's record in the form, for a correction.
    """
    months = list(project_funds_months(project))
    to_date = with_funds(Project.objects.filter(pk=project.pk)).values(
        "funds_in_place", "foreign_paid_in", "funds_rate"
    )
    may_add = may(request.user, "projects.add_projectfunds")
    may_correct = may(request.user, "projects.change_projectfunds")
    editing = next((row for row in months if str(row.pk) == request.GET.get("funds")), None) if may_correct else None
    return {
        "funds_months": months,
        "funds_to_date": to_date.get(),
        "may_enter_funds": may_add or may_correct,
        "may_correct_funds": may_correct,
        "funds_form": ProjectFundsForm(instance=editing) if (may_add or editing) else None,
        "funds_editing": editing,
    }


@login_required
@require_POST
def project_funds_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a month's record, or correct the one the form opened (``record``, with its version)."""
    project = get_object_or_404(Project, pk=pk)
    record = request.POST.get("record")
    if record:
        require(request, "projects.change_projectfunds")
        if not record.isdigit():  # a tampered field: not found, never a 500
            raise Http404
        instance = get_object_or_404(ProjectFunds, pk=record, project=project)
    else:
        require(request, "projects.add_projectfunds")
        instance = ProjectFunds(project=project)
    form = ProjectFundsForm(request.POST, instance=instance)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in ProjectFundsForm.Meta.fields}
        try:
            if record:
                project_funds_update(funds=instance, data=data, expected_version=form.expected_version, by=request.user)
            else:
                project_funds_create(project=project, **data, by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
    if form.is_valid():
        messages.success(request, _("Funds in place saved."))
    else:
        messages.error(request, form_problems(form) or _("Please check the funds in place."))
    return redirect("projects:project-detail", pk=pk)
