"""Choices of the platform's own models (what an API token may do), and the label of an unknown value."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """An API token reads only, or reads and writes."""

    READ = "read", _("read only")
    WRITE = "write", _("read and write")


# What a nullable fact shows when the register does not know it (None): not "no".
UNKNOWN_LABEL = _("unknown")
# The value that selects unknown rows in a filter (?fortune500=unknown), beside true/false or a choice.
UNKNOWN_VALUE = "unknown"
