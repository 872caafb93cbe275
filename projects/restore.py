"""Restoring a project or a visit from its audit history: an earlier version, or a deleted one.

The history (django-simple-history) keeps every version; a visit's versions also keep its
leaders, chains and projects. A deletion made through ``project_delete``/``visit_delete`` marks
everything it took with one batch reason, so a restore brings back exactly that. Restores are
writes like any other: validated, in one transaction, and recorded in the history with a reason.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chains.models import Chain, Leader

from .fields import PROJECT_RESTORED_FIELDS, VISIT_RESTORED_FIELDS
from .models import FollowUp, InvestmentVisit, Project, ProjectStageChange, VisitPhoto, VisitProject
from .services import visit_create, visit_update

# Rows deleted without a batch (before batches existed): children deleted this close before it.
UNBATCHED_WINDOW = datetime.timedelta(minutes=1)


def _when(record) -> str:
    return timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")


def _deletion(model, pk: int):
    """The record of the row's deletion, if the row is deleted (its newest record is a deletion)."""
    latest = model.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    return latest if latest is not None and latest.history_type == "-" else None


def _deleted_with(model, deletion, **filters):
    """Deletion records of ``model`` rows taken by the same deletion as ``deletion``."""
    records = model.history.filter(history_type="-", **filters)
    if deletion.history_change_reason and deletion.history_change_reason.startswith("删除批次"):
        return records.filter(history_change_reason=deletion.history_change_reason)
    return records.filter(
        history_date__gte=deletion.history_date - UNBATCHED_WINDOW, history_date__lte=deletion.history_date
    )


def _reinsert(record):
    """Insert the row a deletion record describes, under its old id.

    An optional reference to a row deleted since (an author's account, say) is left empty, as its
    deletion would have left it; the row is not refused for it.
    """
    row = record.instance
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if field.is_relation and field.null and value is not None:
            if not field.related_model._default_manager.filter(pk=value).exists():
                setattr(row, field.attname, None)
    row._change_reason = _("restored with its parent")
    row.save(force_insert=True)
    return row


@transaction.atomic
def project_restore(record) -> Project:
    """Bring a project back as ``record`` (a ``Project.history`` row) shows it.

    - If the project exists, its descriptive fields go back to the record's values
      (``PROJECT_RESTORED_FIELDS``); its stage does not.
    - If it was deleted, it comes back whole as it was when deleted, under its old id, with the
      stage history, follow-ups and visit links deleted with it (links to visits deleted since
      stay gone).
    """
    project = Project.objects.select_for_update().filter(pk=record.id).first()
    if project is not None:
        for name in PROJECT_RESTORED_FIELDS:
            setattr(project, name, getattr(record, name))
        project._change_reason = _("restored the version of %(when)s") % {"when": _when(record)}
        # Amounts as they were once saved, large ones confirmed then; the ceilings still apply.
        project.large_amounts_confirmed = True
        project.full_clean()
        project.save()
        return project
    deletion = _deletion(Project, record.id)
    if deletion is None:
        raise ValidationError(_("This project has no deletion on record to restore."), code="not_deleted")
    project = deletion.instance
    project._change_reason = _("restored after its deletion on %(when)s") % {"when": _when(deletion)}
    project.large_amounts_confirmed = True
    project.full_clean(validate_unique=False)
    project.save(force_insert=True)
    for model in (ProjectStageChange, FollowUp):
        for child in _deleted_with(model, deletion, project_id=project.pk).order_by("history_date", "history_id"):
            _reinsert(child)
    links = _deleted_with(VisitProject, deletion, project_id=project.pk)
    visits = set(InvestmentVisit.objects.filter(pk__in=links.values("visit_id")).values_list("pk", flat=True))
    for link in links:
        if link.visit_id in visits:
            _reinsert(link)
    # created_at is set on insert; the restored project keeps the date it was first entered.
    Project.objects.filter(pk=project.pk).update(created_at=deletion.created_at)
    return Project.objects.get(pk=project.pk)


def _links(record, field: str, model) -> list:
    """The rows of ``model`` a visit record links through ``field``, those that still exist."""
    snapshot = getattr(type(record), field).model.objects.filter(history_id=record.history_id)
    target = InvestmentVisit._meta.get_field(field).m2m_reverse_field_name()
    return list(model.objects.filter(pk__in=snapshot.values(f"{target}_id")))


@transaction.atomic
def visit_restore(record) -> InvestmentVisit:
    """Bring a visit back as ``record`` (an ``InvestmentVisit.history`` row) shows it, with its links.

    An existing visit gets the record's fields, leaders, chains and projects back; a deleted one
    comes back under its old id as it was just before its deletion, with the photos deleted with it
    (their files were kept). Leaders, chains or projects deleted since are left out; a visit left
    without any leader cannot be restored.
    """
    visit = InvestmentVisit.objects.select_for_update().filter(pk=record.id).first()
    if visit is None:
        deletion = _deletion(InvestmentVisit, record.id)
        if deletion is None:
            raise ValidationError(_("This visit has no deletion on record to restore."), code="not_deleted")
        # The deletion record has the fields; the links were already gone when it was written.
        source = deletion.prev_record or deletion
        visit = deletion.instance
        reason = _("restored after its deletion on %(when)s") % {"when": _when(deletion)}
    else:
        source = record
        for name in VISIT_RESTORED_FIELDS:
            setattr(visit, name, getattr(record, name))
        reason = _("restored the version of %(when)s") % {"when": _when(record)}
    leaders = _links(source, "leaders", Leader)
    if not leaders:
        raise ValidationError(
            _("None of this visit's leaders exists any more; a visit needs at least one leader."), code="no_leader"
        )
    visit._change_reason = reason
    links = {
        "leaders": leaders,
        "chains": _links(source, "chains", Chain),
        "projects": _links(source, "projects", Project),
    }
    if InvestmentVisit.objects.filter(pk=visit.pk).exists():
        return visit_update(visit=visit, **links)
    visit._state.adding = True
    visit = visit_create(visit=visit, by=None, **links)
    for photo in _deleted_with(VisitPhoto, deletion, visit_id=visit.pk).order_by("history_date", "history_id"):
        _reinsert(photo)
    return visit
