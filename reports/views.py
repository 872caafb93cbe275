"""Pages of period reports: the list, a new report, a report (versions, sections, drift) and its steps, the XLSX.

Every figure shown of a closed report is its version's stored value (``reports.layout``); a draft
shows the figures as they would be frozen now, marked as a preview. The steps (briefing, close,
send, reopen) are forms posted to ``report_step``, which call the services and report their
refusals in Chinese.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinghu.forms import bootstrap
from pinghu.pages import filtered, form_problems, paginate, query_without_page, require
from pinghu.permissions import is_admin, may, readable

from . import briefing as briefings
from .choices import ReportStatus
from .drift import drift, preview, with_labels
from .filters import ReportFilterSet
from .forms import BriefingForm, ConfirmForm, ReopenForm, ReportNewForm, SendForm
from .layout import sections
from .selectors import version_of, visible_reports, with_versions
from .services import (
    report_close,
    report_create,
    report_reopen,
    report_send,
    report_update_briefing,
)
from .xlsx import workbook_response

# The rows a list of projects shows on the page (and in print); the workbook and the API hold them all.
PAGE_LIST_LIMIT = 500


@readable("reports.view_report")
def report_list(request: HttpRequest) -> HttpResponse:
    """Reports the user may read, filtered by template, period kind, status and year, 50 a page."""
    filterset, reports = filtered(request, ReportFilterSet, visible_reports(request.user))
    page = paginate(request, reports.order_by("-period_start", "template__code", "pk"))
    return render(
        request,
        "reports/report_list.html",
        {"filter": filterset, "page": page, "count": page.paginator.count, "query": query_without_page(request)},
    )


@readable("reports.view_report")
def report_new(request: HttpRequest) -> HttpResponse:
    require(request, "reports.add_report")
    form = bootstrap(ReportNewForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            report = report_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Report drafted."))
            return redirect(report)
    return render(request, "reports/report_new.html", {"form": form})


def _report(request: HttpRequest, pk: int):
    return get_object_or_404(with_versions(visible_reports(request.user)), pk=pk)


def _version(request: HttpRequest, report):
    number = request.GET.get("version")
    version = version_of(report, int(number) if number and number.isdigit() else None)
    if number and version is None:
        raise Http404
    return version


@readable("reports.view_report")
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: the version chosen (the latest by default) as tables, the drift marked; a draft's preview."""
    report = _report(request, pk)
    version = _version(request, report) if report.versions.all() else None
    showing_version = version is not None and (report.status != ReportStatus.DRAFT or "version" in request.GET)
    if showing_version:
        figures, text = version.figures, version.briefing
        items = with_labels(drift(version), version.figures)
    else:
        figures = preview(report)
        text, items = report.briefing or briefings.generate(figures), []
    drifted = {item.path: item for item in items}
    tables = sections(figures, limit=PAGE_LIST_LIMIT)
    for table in tables:
        for row in table["rows"]:
            for index, cell in enumerate(row):
                if cell[3] in drifted:
                    row[index] = (*cell, drifted[cell[3]])
    context = {
        "report": report,
        "version": version if showing_version else None,
        "versions": report.versions.all(),
        "tables": tables,
        "briefing": text,
        "drift": items,
        # Figures the tables show first; the others stored (the API's) folded away.
        "drift_shown": [item for item in items if item.label],
        "drift_other": [item for item in items if not item.label],
        "may_close": may(request.user, "reports.close_report") and report.status == ReportStatus.DRAFT,
        "may_send": may(request.user, "reports.close_report") and report.status == ReportStatus.CLOSED,
        "may_reopen": is_admin(request.user) and report.status != ReportStatus.DRAFT,
        "briefing_form": BriefingForm(initial={"briefing": report.briefing}),
        "send_form": bootstrap(SendForm()),
        "reopen_form": bootstrap(ReopenForm()),
        "confirm_form": ConfirmForm(),
    }
    return render(request, "reports/report_detail.html", context)


@readable("reports.view_report")
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's stored figures as a workbook, one sheet per section."""
    report = _report(request, pk)
    version = _version(request, report)
    if version is None:
        raise Http404
    return workbook_response(report, version)


STEPS = {
    "briefing": (BriefingForm, "reports.change_report"),
    "close": (ConfirmForm, "reports.close_report"),
    "send": (SendForm, "reports.close_report"),
    "reopen": (ReopenForm, "reports.reopen_report"),
}


@require_POST
@readable("reports.view_report")
def report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the report's state machine, from its confirmation form."""
    if step not in STEPS:
        raise Http404
    report = _report(request, pk)
    form_class, permission = STEPS[step]
    require(request, permission)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect(report)
    data = form.cleaned_data
    try:
        if step == "briefing":
            report_update_briefing(report=report, text=data["briefing"], by=request.user)
            messages.success(request, _("Briefing saved."))
        elif step == "close":
            version = report_close(report=report, by=request.user)
            messages.success(request, _("Report closed: version %(number)s.") % {"number": version.number})
        elif step == "send":
            report_send(report=report, by=request.user, **data)
            messages.success(request, _("Sending recorded."))
        else:
            report_reopen(report=report, reason=data["reason"], by=request.user)
            messages.success(request, _("Report reopened: the next close makes a new version."))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect(report)
