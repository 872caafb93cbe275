"""What ``seed_pinghu`` has loaded once, so that it never loads it again."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SeededRow(models.Model):
    """A reference row the seed created (or found already there) once, by its reference key.

    The seed creates a row only if its key is not recorded here: a row the bureau renamed, moved
    or deleted afterwards stays as the bureau left it. A changed fact reaches an existing
    database through a data migration, never through the seed.
    """

    key = models.CharField(_("reference key"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("seeded reference row")
        verbose_name_plural = _("seeded reference rows")

    def __str__(self) -> str:
        return self.key
