"""The kinds of unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """What kind of body a unit is."""

    DEPARTMENT = "department", _("Department")
    TOWN = "town", _("Town or street")
    ZONE = "zone", _("Development zone or platform")
    OTHER = "other", _("Other")
