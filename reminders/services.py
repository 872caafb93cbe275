"""Changing a reminder rule: its enabled flag and thresholds, checked, versioned and kept in the history.

The rules page and the admin call ``rule_update``; only holders of ``reminders.change_reminderrule``
(bureau staff, admins) may, which ``by`` is checked against (``None``: a system write, such as a test).
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pinghu.permissions import may
from pinghu.services import model_update

from .models import THRESHOLD_FIELDS, ReminderRule

EDITABLE_FIELDS = ("enabled", "on_due_date", *THRESHOLD_FIELDS)


@transaction.atomic
def rule_update(
    *, rule: ReminderRule, data: Mapping[str, Any], expected_version: str | None, by: AbstractBaseUser | None
) -> ReminderRule:
    """Change the rule's flag and thresholds (those its kind uses); refused if stale or not allowed."""
    if by is not None and not may(by, "reminders.change_reminderrule"):
        raise ValidationError(_("Reminder rules: only bureau staff and administrators may change them."))
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return model_update(ReminderRule, rule.pk, data=dict(data), expected_version=expected_version)
