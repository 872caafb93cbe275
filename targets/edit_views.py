"""Bureau staff set targets and the year's weights on the pages (the admin, the API and the import call the same
services): a new target, a correction (with the version read), a deletion, and the weights of a year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinghu.forms import add_refusal
from pinghu.pages import form_problems, require

from .forms import PageTargetForm, YearWeightsForm
from .models import YEAR_MAX, YEAR_MIN, Target
from .selectors import weights_of_year
from .services import target_create, target_delete, target_update, weight_save


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() else timezone.localdate().year
    return year if YEAR_MIN <= year <= YEAR_MAX else timezone.localdate().year


@login_required
def target_new(request: HttpRequest) -> HttpResponse:
    require(request, "targets.add_target")
    initial = {"year_from": _year(request), "scope_kind": request.GET.get("scope_kind", "city")}
    form = PageTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            target = target_create(data=form.service_data(), by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Target set."))
            return redirect("targets:target-detail", pk=target.pk)
    if request.method == "POST":
        messages.error(request, form_problems(form) or _("Please check the target."))
    return render(request, "targets/target_form.html", {"form": form, "target": None})


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "targets.change_target")
    target = get_object_or_404(Target, pk=pk)
    form = PageTargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            target_update(
                target=target, data=form.service_data(), expected_version=form.expected_version, by=request.user
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Target changed."))
            return redirect("targets:target-detail", pk=pk)
    if request.method == "POST":
        messages.error(request, form_problems(form) or _("Please check the target."))
    return render(request, "targets/target_form.html", {"form": form, "target": target})


@login_required
@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a target from its page (the form carries the version read: a target changed since is kept)."""
    require(request, "targets.delete_target")
    target = get_object_or_404(Target, pk=pk)
    try:
        target_delete(target=target, expected_version=request.POST.get("version", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("targets:target-detail", pk=pk)
    messages.success(request, _("Target deleted; its history keeps it."))
    return redirect(f"{reverse('targets:target-list')}?year={target.year_from}")


@login_required
def weights_edit(request: HttpRequest) -> HttpResponse:
    """The year's weight of every metric in the ranking's weighted score."""
    require(request, "targets.change_assessmentweight")
    year = _year(request)
    weights = weights_of_year(year)
    form = YearWeightsForm(request.POST or None, weights=weights)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # all the year's weights, or none
                for metric, weight in form.cleaned_data.items():
                    if weight != weights.get(metric):
                        weight_save(year=year, metric=metric, weight=weight, by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Weights of %(year)d saved.") % {"year": year})
            return redirect(f"{reverse('targets:ranking')}?year={year}")
    return render(request, "targets/weights_form.html", {"form": form, "year": year})
