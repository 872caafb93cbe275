"""Writes of targets and assessment weights, each in one transaction with full validation.

The admin, the API and the import call these (and the pages will): a target's rules live in
``Target.clean`` and its constraints, and only bureau staff (and admins) may write, which
``by`` is checked against (``None``: a system write, such as a data migration or a test).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pinghu import events
from pinghu.concurrency import lock_for_update
from pinghu.permissions import may
from pinghu.services import model_update

from .models import AssessmentWeight, Target

TARGET_FIELDS = ("year_from", "year_to", "scope_kind", "cluster", "chain", "town", "unit", "metric", "value")
TARGET_EDITABLE_FIELDS = (*TARGET_FIELDS, "source", "note")


def _check_may(by: AbstractBaseUser | None, permission: str) -> None:
    if by is not None and not may(by, permission):
        raise ValidationError(_("Targets: only bureau staff and administrators may set targets and weights."))


def _user(by: AbstractBaseUser | None):
    return by if getattr(by, "pk", None) else None


def _with_defaults(data: Mapping[str, Any]) -> dict:
    """A one-year target may give ``year`` alone, or ``year_from`` without ``year_to``; empty references as empty."""
    values = dict(data)
    if "year" in values:
        year = values.pop("year")
        values.setdefault("year_from", year)
        values.setdefault("year_to", year)
    if values.get("year_to") is None and values.get("year_from") is not None:
        values["year_to"] = values["year_from"]
    for name in ("town", "source", "note"):
        if values.get(name) is None:
            values[name] = ""
    return values


@transaction.atomic
def target_create(*, data: Mapping[str, Any], by: AbstractBaseUser | None) -> Target:
    """Set a target (refused when the years, scope and metric already have one: edit that one)."""
    _check_may(by, "targets.add_target")
    values = _with_defaults(data)
    unknown = set(values) - set(TARGET_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    target = Target(**values, set_by=_user(by))
    target.full_clean()
    target.save()
    events.emit(events.TARGET_UPDATED, target, actor=_user(by), created=True)
    return target


@transaction.atomic
def target_update(
    *, target: Target, data: Mapping[str, Any], expected_version: str | None, by: AbstractBaseUser | None
) -> Target:
    """Change a target's fields (the change is in its history); refused if stale (``expected_version``)."""
    _check_may(by, "targets.change_target")
    values = dict(data)
    if "year_to" in values and values["year_to"] is None:
        values["year_to"] = values.get("year_from", target.year_from)  # empty: a one-year target
    if "year_from" in values and "year_to" not in values and target.year_from == target.year_to:
        values["year_to"] = values["year_from"]  # a one-year target stays one year
    for name in ("town", "source", "note"):
        if name in values and values[name] is None:
            values[name] = ""
    unknown = set(values) - set(TARGET_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if _user(by) is not None:
        values["set_by"] = by  # who set the target's current figures (the history keeps the others)
    target = model_update(Target, target.pk, data=values, expected_version=expected_version)
    events.emit(events.TARGET_UPDATED, target, actor=_user(by), fields=sorted(values))
    return target


@transaction.atomic
def target_delete(*, target: Target, expected_version: str | None = None, by: AbstractBaseUser | None) -> None:
    """Delete a target (its history keeps what it was)."""
    _check_may(by, "targets.delete_target")
    lock_for_update(Target, target.pk, expected_version).delete()


@transaction.atomic
def weight_save(
    *, year: int, metric: str, weight: Decimal, by: AbstractBaseUser | None, expected_version: str | None = None
) -> AssessmentWeight:
    """Set the weight of ``metric`` in ``year``'s score: the year's row for the metric, created or changed."""
    existing = AssessmentWeight.objects.select_for_update().filter(year=year, metric=metric).first()
    if existing is None:
        _check_may(by, "targets.add_assessmentweight")
        row = AssessmentWeight(year=year, metric=metric, weight=weight, set_by=_user(by))
        row.full_clean()
        row.save()
        return row
    _check_may(by, "targets.change_assessmentweight")
    data = {"weight": weight, **({"set_by": by} if _user(by) is not None else {})}
    return model_update(AssessmentWeight, existing.pk, data=data, expected_version=expected_version)
