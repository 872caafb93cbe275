"""Land parcels (地块): recording, editing and supplying one to a project (供地), the one place each rule lives."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from pinghu.concurrency import lock_for_update
from pinghu.services import model_update

from ..choices import ParcelStatus
from ..models import LandParcel, Project
from .projects import project_update

# Supplying is a step of its own (parcel_supply): an edit may not change a supplied parcel's project or day.
PARCEL_STEP_FIELDS = ["project", "supplied_date"]


@transaction.atomic
def parcel_create(*, parcel: LandParcel) -> LandParcel:
    """Validate and save a new parcel; a parcel recorded as supplied names its project and day."""
    parcel.full_clean()
    parcel.save()
    return parcel


@transaction.atomic
def parcel_update(*, parcel: LandParcel, data: Mapping[str, Any], expected_version: str | None) -> LandParcel:
    """Change a parcel's fields (``data``: field name → value), checked against the version its caller read.

    The project and supplied date of a parcel already supplied change only by ``parcel_supply``
    (which refuses another project); on a parcel not yet supplied they may be set here.
    """
    current = LandParcel.objects.get(pk=parcel.pk)
    steps = PARCEL_STEP_FIELDS if current.status == ParcelStatus.SUPPLIED else []
    changed = {name: value for name, value in data.items() if name not in steps or _differs(current, name, value)}
    return model_update(
        LandParcel,
        parcel.pk,
        data=changed,
        expected_version=expected_version,
        step_fields=steps,
        step_message=_("A supplied parcel's project and supplied date change only by supplying it (parcel_supply)."),
    )


def _differs(parcel: LandParcel, name: str, value: Any) -> bool:
    if name == "project":
        return (value.pk if value is not None else None) != parcel.project_id
    return getattr(parcel, name) != value


@transaction.atomic
def parcel_supply(
    *, parcel: LandParcel, project: Project, date: datetime.date, expected_version: str | None = None
) -> LandParcel:
    """Supply ``parcel`` to ``project`` on ``date`` (供地): status supplied, project and day set together.

    A parcel already supplied to another project is refused; supplied again to the same one, its
    date is corrected. The project's 供地 milestone (``land_supplied_date``) follows: it becomes the
    earliest supply date of its parcels when it was empty or later, or when it was this parcel's
    previous date (a correction); it is written by ``project_update``, so the milestone order holds.
    """
    locked = lock_for_update(LandParcel, parcel.pk, expected_version)
    previous_date = locked.supplied_date if locked.project_id == project.pk else None
    if locked.status == ParcelStatus.SUPPLIED and locked.project_id not in (None, project.pk):
        raise ValidationError(
            {
                "project": _("Parcel %(parcel)s was already supplied to %(project)s; it cannot be supplied again.")
                % {"parcel": locked.number, "project": locked.project}
            },
            code="already_supplied",
        )
    locked.status = ParcelStatus.SUPPLIED
    locked.project = project
    locked.supplied_date = date
    locked.full_clean()
    locked.save(update_fields=["status", "project", "supplied_date", "updated_at"])
    _project_land_supplied_follows(project, previous_date)
    return locked


def _project_land_supplied_follows(project: Project, previous_date: datetime.date | None) -> None:
    """Set the project's 供地 date from its parcels (see ``parcel_supply``)."""
    earliest = LandParcel.objects.filter(project=project, status=ParcelStatus.SUPPLIED).aggregate(
        earliest=Min("supplied_date")
    )["earliest"]
    current = Project.objects.filter(pk=project.pk).values_list("land_supplied_date", flat=True).get()
    if earliest is None or current == earliest:
        return
    if current is None or current > earliest or current == previous_date:
        project_update(project=project, data={"land_supplied_date": earliest}, expected_version=None)
