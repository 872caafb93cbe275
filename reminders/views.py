"""The reminder rules page: each rule, whether it runs and its thresholds; bureau staff change a rule on its form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pinghu.forms import add_refusal
from pinghu.history import history_entries
from pinghu.pages import form_problems, require
from pinghu.permissions import may, readable

from .forms import PageRuleForm
from .models import ReminderRule
from .services import rule_update

HISTORY_ROWS = 10


@readable("reminders.view_reminderrule")
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = list(ReminderRule.objects.order_by("pk"))
    return render(
        request,
        "reminders/rule_list.html",
        {"rules": rules, "may_change": may(request.user, "reminders.change_reminderrule")},
    )


@login_required
def rule_edit(request: HttpRequest, kind: str) -> HttpResponse:
    require(request, "reminders.change_reminderrule")
    rule = get_object_or_404(ReminderRule, kind=kind)
    form = PageRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            rule_update(rule=rule, data=form.service_data(), expected_version=form.expected_version, by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Reminder rule changed."))
            return redirect("reminders:rule-list")
    if request.method == "POST":
        messages.error(request, form_problems(form) or _("Please check the rule."))
    rule.refresh_from_db()
    return render(
        request,
        "reminders/rule_form.html",
        {"form": form, "rule": rule, "history": history_entries(rule, limit=HISTORY_ROWS)},
    )
