"""Visits with their leaders, chains, projects and new leads: created, edited and deleted as one."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chains.models import Chain, Enterprise, Leader
from pinghu import events
from pinghu.concurrency import lock_for_update
from pinghu.history import deletion_batch, one_history_record, record_history
from pinghu.permissions import may

from ..choices import (
    ProjectSource,
    ProjectStage,
)
from ..models import (
    InvestmentVisit,
    Project,
    VisitLeader,
)
from .photos import photo_files_cleanup, photos_change
from .projects import project_create

User = AbstractBaseUser


def visit_prepare_new(visit: InvestmentVisit, *, leaders: list[Leader], by: User | None) -> None:
    """The rules of a new visit before validation: at least one leader; recorded by ``by`` unless said otherwise."""
    if not leaders:
        raise ValidationError({"leaders": _("A visit needs at least one leader.")}, code="required")
    visit.recorded_by = by if visit.recorded_by_id is None else visit.recorded_by


# Checked by the import before a batch is written: its lookups found the enterprise and the host unit
# (required), and the recording user is the importing one, so full_clean() need not query for them.
VISIT_BATCH_CLEAN = {"exclude": ["enterprise", "recorded_by", "host_unit"]}


@transaction.atomic
def visit_create_many(
    visits: list[tuple[InvestmentVisit, list[Leader], list[Chain]]], *, by: User | None, reason: str = ""
) -> list[InvestmentVisit]:
    """``visit_create`` for a batch (an import): each visit with its leaders and chains, written set-based.

    Each visit must have been through ``visit_prepare_new`` and ``full_clean(**VISIT_BATCH_CLEAN)``.
    The visits, their leader and chain links and one history row each (with the links, as the
    signal path keeps them) are inserted in a few statements; the history rows name ``by`` and
    ``reason``. The database's triggers count the person-times and the rollups as usual.
    """
    if not visits:
        return []
    rows = [visit for visit, _leaders, _chains in visits]
    InvestmentVisit.objects.bulk_create(rows, batch_size=1000)
    VisitLeader.objects.bulk_create(
        [VisitLeader(visit=visit, leader=leader) for visit, leaders, _chains in visits for leader in leaders],
        batch_size=1000,
    )
    chain_link = InvestmentVisit.chains.through
    chain_link.objects.bulk_create(
        [chain_link(investmentvisit=visit, chain=chain) for visit, _leaders, chains in visits for chain in chains],
        batch_size=1000,
    )
    for start in range(0, len(rows), 1000):
        ids = [visit.pk for visit in rows[start : start + 1000]]
        record_history(InvestmentVisit.objects.filter(pk__in=ids), history_type="+", reason=reason, user=by)
    return rows


@photo_files_cleanup()  # outside the transaction: sees a failure at commit too
@transaction.atomic
def visit_create(
    *,
    visit: InvestmentVisit,
    leaders: Iterable[Leader],
    by: User | None,
    chains: Iterable[Chain] = (),
    projects: Iterable[Project] = (),
    new_projects: Iterable[Project] = (),
    new_enterprise: Enterprise | None = None,
    confirm_large_amounts: bool = False,
    photos: Iterable = (),
) -> InvestmentVisit:
    """Record a visit with its leaders, chains and linked projects, creating new leads in the same step.

    New projects come unsaved; each becomes a lead from this visit (source ``visit``, first
    contact on the visit date, the visited enterprise as investor unless another is given).
    New leads are projects: ``by`` needs the permission to add projects (PermissionDenied
    otherwise; ``by=None``, an internal caller, is not asked). An unsaved ``new_enterprise`` is
    saved first and becomes the visited enterprise. ``confirm_large_amounts`` confirms the new leads'
    amounts above their warning line (``project_create``). ``photos`` are uploads (at most five),
    checked and stored by ``photos_change``.
    One transaction: a bad new project or photo leaves no visit (and no new enterprise, no file) behind.
    """
    leaders = list(leaders)
    new_projects = list(new_projects)
    if new_projects and by is not None and not may(by, "projects.add_project"):
        raise PermissionDenied(_("You may not create projects."))
    visit_prepare_new(visit, leaders=leaders, by=by)
    if new_enterprise is not None:
        new_enterprise.full_clean()
        new_enterprise.save()
        visit.enterprise = new_enterprise
    visit.full_clean()
    # One history record, of the visit with all its links, not one for the save and one per link set.
    with one_history_record(visit):
        visit.save()
        # A new visit has no links yet: add (one query fewer each than set, which reads the current ones).
        visit.leaders.add(*leaders)
        visit.chains.add(*chains)
        linked = list(projects)
        for position, project in enumerate(new_projects):
            project.source = ProjectSource.VISIT
            project.stage = ProjectStage.LEAD
            project.first_contact_date = project.first_contact_date or visit.date
            if project.investor_id is None:
                project.investor = visit.enterprise
            try:
                linked.append(project_create(project=project, by=by, confirm_large_amounts=confirm_large_amounts))
            except ValidationError as error:
                raise ValidationError({f"new_projects[{position}]": error.messages}, code="invalid") from error
        visit.projects.add(*linked)
        photos = list(photos)
        if photos:  # (without, photos_change writes nothing but would still open and close a savepoint)
            photos_change(visit, add=photos, by=by)  # last: its files are deleted again if it fails
    events.emit(events.VISIT_CREATED, visit, actor=by)
    return visit


@photo_files_cleanup()
@transaction.atomic
def visit_update(
    *,
    visit: InvestmentVisit,
    leaders: Iterable[Leader],
    chains: Iterable[Chain],
    projects: Iterable[Project],
    new_enterprise: Enterprise | None = None,
    expected_version: str | None = None,
    by: User | None = None,
    photos: Iterable = (),
    remove_photos: Iterable[int] = (),
) -> InvestmentVisit:
    """Save an edited visit and replace its leaders, chains and linked projects; remove and add photos.

    The row is locked and checked against ``expected_version`` (the version the editor opened;
    ``None`` skips the check, for internal callers such as the import and a restore). An unsaved
    ``new_enterprise`` (a firm added in place) is saved and becomes the visited enterprise. New
    leads come with a new visit only (``visit_create``). ``remove_photos`` (ids) go before
    ``photos`` (uploads) are added, within the limit of five (``photos_change``).
    """
    lock_for_update(InvestmentVisit, visit.pk, expected_version)
    leaders = list(leaders)
    if not leaders:
        raise ValidationError({"leaders": _("A visit needs at least one leader.")}, code="required")
    if new_enterprise is not None:
        new_enterprise.full_clean()
        new_enterprise.save()
        visit.enterprise = new_enterprise
    visit.full_clean()
    visit.save()
    visit.leaders.set(leaders)
    visit.chains.set(list(chains))
    visit.projects.set(list(projects))
    photos_change(visit, add=photos, remove=remove_photos, by=by)
    events.emit(events.VISIT_UPDATED, visit, actor=by)
    return visit


@transaction.atomic
def visit_delete(visit: InvestmentVisit, *, by: User | None = None) -> None:
    """Delete a visit with its links and photos, as one restorable deletion (its history keeps the links).

    The photos' files stay in storage, for a restore; ``purge_visit_photos`` removes them later.
    """
    events.emit(events.VISIT_DELETED, visit, actor=by, deleted=True)  # before: the deletion clears visit.pk
    with deletion_batch():
        visit.delete()
