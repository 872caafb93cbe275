"""Funds in place: monthly records of a project, added, corrected as an edit (with history), or deleted."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pinghu.permissions import may
from pinghu.services import model_update

from ..models import Project, ProjectFunds

FUNDS_EDITABLE_FIELDS = ("month", "domestic_funds", "actual_foreign_investment", "source_note")


def _check_may(by: AbstractBaseUser | None, permission: str) -> None:
    if by is not None and not may(by, permission):
        raise ValidationError(
            _("Funds in place: only bureau staff and administrators may enter or correct funds records.")
        )


@transaction.atomic
def project_funds_create(
    *,
    project: Project,
    month: datetime.date,
    domestic_funds: Decimal,
    actual_foreign_investment: Decimal,
    source_note: str = "",
    by: AbstractBaseUser | None,
) -> ProjectFunds:
    """Record what ``project`` had paid in during ``month``; refused if the month already has a record."""
    _check_may(by, "projects.add_projectfunds")
    funds = ProjectFunds(
        project=project,
        month=month,
        domestic_funds=domestic_funds,
        actual_foreign_investment=actual_foreign_investment,
        source_note=source_note,
        entered_by=by if getattr(by, "pk", None) else None,
    )
    funds.full_clean()
    funds.save()
    return funds


@transaction.atomic
def project_funds_update(
    *, funds: ProjectFunds, data: Mapping[str, Any], expected_version: str | None, by: AbstractBaseUser | None
) -> ProjectFunds:
    """Correct a month's record (the change is in its history); refused if stale (``expected_version``)."""
    _check_may(by, "projects.change_projectfunds")
    unknown = set(data) - {*FUNDS_EDITABLE_FIELDS, "project"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return model_update(ProjectFunds, funds.pk, data=dict(data), expected_version=expected_version)


@transaction.atomic
def project_funds_delete(*, funds: ProjectFunds, by: AbstractBaseUser | None) -> None:
    """Delete a month's record entered in error (its history keeps it); bureau staff and administrators only."""
    _check_may(by, "projects.delete_projectfunds")
    funds.delete()
