"""Writes of units: the register (create, change, members) and mapping a name left unmatched to a unit.

Each in one transaction with full validation; only bureau staff (and admins) may write, which ``by`` is
checked against (``None``: a system write, such as the seed or a test).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from pinghu.imports import normalise
from pinghu.permissions import may
from pinghu.services import model_update

from .models import Unit
from .registry import UNIT_FIELDS

UNIT_FIELDS_EDITABLE = ("name", "kind", "parent", "is_active")


def _check_may(by: AbstractBaseUser | None, permission: str) -> None:
    if by is not None and not may(by, permission):
        raise ValidationError(_("Units: only bureau staff and administrators may change units."))


@transaction.atomic
def unit_create(*, data: Mapping[str, Any], members: Iterable | None = None, by: AbstractBaseUser | None) -> Unit:
    """A new unit (its name compared as ``Unit.key``: one unit per name, whatever the spacing)."""
    _check_may(by, "units.add_unit")
    unknown = set(data) - set(UNIT_FIELDS_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    unit = Unit(**data)
    unit.full_clean()
    unit.save()
    if members is not None:
        unit.members.set(members)
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    data: Mapping[str, Any],
    members: Iterable | None = None,
    expected_version: str | None,
    by: AbstractBaseUser | None,
) -> Unit:
    """Change a unit's fields (and, if given, its members); refused if stale (``expected_version``)."""
    _check_may(by, "units.change_unit")
    unknown = set(data) - set(UNIT_FIELDS_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    values = dict(data)
    if "name" in values:
        values["key"] = normalise(values["name"])  # saved with the name (update_fields)
    unit = model_update(Unit, unit.pk, data=values, expected_version=expected_version)
    if members is not None:
        unit.members.set(members)
    return unit


@transaction.atomic
def unit_map_name(*, text: str, unit: Unit, by: AbstractBaseUser | None) -> int:
    """Give every row that names ``text`` as a unit still to map (``<field>_text``) the unit ``unit``.

    Over every registered unit field (``units.registry``), in one transaction, each row's change written
    to its history; the text is emptied. Returns the number of rows changed.
    """
    _check_may(by, "units.change_unit")
    if not unit.is_active:
        raise ValidationError(_("The unit “%(name)s” is no longer active.") % {"name": unit.name})
    reason = _("Unit name “%(text)s” mapped to %(unit)s") % {"text": text, "unit": unit.name}
    changed = 0
    for unit_field in UNIT_FIELDS.values():
        model = unit_field.model_class()
        rows = list(
            model._base_manager.select_for_update().filter(
                **{f"{unit_field.field}__isnull": True, unit_field.text_field: text}
            )
        )
        if not rows:
            continue
        for row in rows:
            setattr(row, unit_field.field, unit)
            setattr(row, unit_field.text_field, "")
            row._change_reason = reason
        try:
            with transaction.atomic():
                bulk_update_with_history(
                    rows,
                    model,
                    [unit_field.field, unit_field.text_field],
                    default_user=by if getattr(by, "pk", None) else None,
                    default_change_reason=reason,
                )
        except IntegrityError as error:
            raise ValidationError(
                _(
                    "%(where)s: mapping “%(text)s” to %(unit)s would make two rows the same (%(error)s); "
                    "change one of them first."
                )
                % {"where": unit_field.label, "text": text, "unit": unit.name, "error": error}
            ) from error
        changed += len(rows)
    return changed


@transaction.atomic
def unit_create_from_name(
    *, text: str, kind: str, parent: Unit | None = None, by: AbstractBaseUser | None
) -> tuple[Unit, int]:
    """A new unit named ``text`` (refused if one of that name exists: map to it instead), then the rows mapped.

    Returns the unit and the number of rows that now name it.
    """
    _check_may(by, "units.add_unit")
    unit = unit_create(data={"name": text.strip(), "kind": kind, "parent": parent}, by=by)
    return unit, unit_map_name(text=text, unit=unit, by=by)
