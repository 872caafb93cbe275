"""The state machine of a report, each step one transaction: create (draft), close, send, reopen; the briefing.

draft --close--> closed --send--> sent; closed or sent --reopen (administrators, a written reason)--> draft,
and the next close writes version n+1. Closing computes every figure as of the period's end
(``reports.figures``, ``reports.identities``) and writes them in a new ``ReportVersion`` in the same
transaction as the status; versions are never changed (``reports.triggers``). Pages, the API and
the admin call these; ``by`` is checked against the roles (``None``: a system write, as the demo's).
Every change of a report is kept by its history (django-simple-history).
"""

import orjson
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import JSONField, Max, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from pinghu import events
from pinghu.permissions import is_admin, may
from projects.periods import Period

from . import briefing as briefings
from .choices import ReportStatus, Section
from .figures import compute
from .identities import identities
from .models import Report, ReportTemplate, ReportVersion, period_bounds


def _user(by: AbstractBaseUser | None):
    return by if getattr(by, "pk", None) else None


def _check(by: AbstractBaseUser | None, permission: str, message: str) -> None:
    if by is not None and not may(by, permission):
        raise ValidationError(message)


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("template").get(pk=report.pk)


@transaction.atomic
def report_create(*, template: ReportTemplate, period_kind: str, period_start, by: AbstractBaseUser | None) -> Report:
    """A draft report of ``template`` for the month, quarter or year starting on ``period_start``."""
    _check(by, "reports.add_report", _("Reports: only bureau staff and administrators may draft reports."))
    report = Report(template=template, period_kind=period_kind, period_start=period_start, created_by=_user(by))
    report.full_clean(exclude=["period_end"], validate_unique=False)
    if Report.objects.filter(template=template, period_kind=period_kind, period_start=report.period_start).exists():
        raise ValidationError(
            {
                "period_start": _("Period: this template already has a report for %(period)s.")
                % {"period": report.period_label}
            }
        )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            {"period_start": _("Period: this template already has a report for this period.")}
        ) from None
    return report


def report_period(report: Report) -> Period:
    """The report's period as the statistics take it."""
    start, end = period_bounds(report.period_kind, report.period_start)
    return Period(start, end)


@transaction.atomic
def report_update_briefing(*, report: Report, text: str, by: AbstractBaseUser | None) -> Report:
    """Edit the briefing of a draft (a closed report's briefing is its version's)."""
    _check(by, "reports.change_report", _("Reports: only bureau staff and administrators may edit a briefing."))
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(
            {"briefing": _("Briefing: only a draft's briefing can be edited; reopen the report first.")}
        )
    report.briefing = text.strip()
    report.save(update_fields=["briefing", "updated_at"])
    return report


def report_close(*, report: Report, by: AbstractBaseUser | None) -> ReportVersion:
    """Freeze the figures: compute them as of the period's end and store them in a new version, with the status.

    One transaction. On PostgreSQL, when it is not nested in another, it is REPEATABLE READ: every one of
    the figures' queries reads the same snapshot, so a write committed while the report closes cannot
    make two of its figures disagree.
    """
    _check(by, "reports.close_report", _("Reports: only bureau staff and administrators may close reports."))
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _close(report, by)


def _json(value) -> Cast:
    """``value`` as the JSON text the column stores, written by orjson.

    The same document the field's encoder (``json`` with ``DjangoJSONEncoder``) would write: what
    orjson does not know (decimals, lazy texts) and datetimes go to that encoder's ``default``. A
    year's rows behind the counts are tens of megabytes, which ``json`` takes a second to write.
    """
    text = orjson.dumps(
        value,
        default=DjangoJSONEncoder().default,
        option=orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME,
    )
    return Cast(Value(text.decode()), output_field=JSONField())


def _close(report: Report, by: AbstractBaseUser | None) -> ReportVersion:
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(
            _("Close: only a draft can be closed (this report is %(status)s).")
            % {"status": report.get_status_display()}
        )
    period = report_period(report)
    figures = compute(report.template.sections, period)
    # An edited briefing as written; otherwise the text generated from these figures (the draft keeps
    # it empty, so a report closed again after a correction gets a briefing of its new figures).
    text = report.briefing or briefings.generate(figures)
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    stored = {"figures": figures, "rows": identities(period, targets=Section.TARGETS in report.template.sections)}
    version = ReportVersion(
        report=report,
        number=number,
        closed_by=_user(by),
        closed_at=timezone.now(),
        reopened_by_id=report.reopened_by_id if number > 1 else None,
        reopened_at=report.reopened_at if number > 1 else None,
        reopen_reason=report.reopen_reason if number > 1 else "",
        briefing=text,
        **{name: _json(value) for name, value in stored.items()},
    )
    version.save()
    for name, value in stored.items():
        setattr(version, name, value)  # the values, not the expressions that wrote them
    report.status = ReportStatus.CLOSED
    report.save(update_fields=["status", "updated_at"])
    return version


@transaction.atomic
def report_send(*, report: Report, sent_to: str, reference_number: str = "", by: AbstractBaseUser | None) -> Report:
    """Record that the closed report was sent upward: to whom, when, with an optional reference number."""
    _check(by, "reports.close_report", _("Reports: only bureau staff and administrators may send reports."))
    report = _locked(report)
    if report.status != ReportStatus.CLOSED:
        raise ValidationError(_("Send: only a closed report can be sent (close it first)."))
    if not (sent_to or "").strip():
        raise ValidationError({"sent_to": _("Sent to: say to whom the report was sent (e.g. 嘉兴市经信局).")})
    report.status = ReportStatus.SENT
    report.sent_to = sent_to.strip()[:200]
    report.reference_number = (reference_number or "").strip()[:100]
    report.sent_at = timezone.now()
    report.save(update_fields=["status", "sent_to", "reference_number", "sent_at", "updated_at"])
    events.emit(events.REPORT_SENT, report, actor=_user(by))
    return report


@transaction.atomic
def report_reopen(*, report: Report, reason: str, by: AbstractBaseUser | None) -> Report:
    """Reopen a closed or sent report (administrators only, with a written reason); its versions stay."""
    if by is not None and not (is_admin(by) and may(by, "reports.reopen_report")):
        raise ValidationError(_("Reopen: only an administrator may reopen a closed report."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Reason: write why the report is reopened.")})
    report = _locked(report)
    if report.status == ReportStatus.DRAFT:
        raise ValidationError(_("Reopen: the report is already a draft."))
    report.status = ReportStatus.DRAFT
    report.reopened_by = _user(by)
    report.reopened_at = timezone.now()
    report.reopen_reason = reason.strip()
    report.save(update_fields=["status", "reopened_by", "reopened_at", "reopen_reason", "updated_at"])
    return report
