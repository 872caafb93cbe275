"""Choices of the platform's own models: what an API token may do."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """An API token reads only, or reads and writes."""

    READ = "read", _("read only")
    WRITE = "write", _("read and write")
