"""The column beside a unit foreign key that keeps a unit named as text before units were records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def unit_text_field(verbose_name) -> models.CharField:
    """``<field>_text``: the name no unit matched yet (the bureau maps it, ``units.services.unit_map_name``)."""
    return models.CharField(
        verbose_name,
        max_length=128,
        blank=True,
        editable=False,
        help_text=_("The unit named before units were records, matched to none yet: the bureau maps it (units)."),
    )


def unit_foreign_key(verbose_name, related_name: str, *, blank: bool = True, **kwargs) -> models.ForeignKey:
    """A unit a row names: protected (a unit named anywhere is kept), empty while the row names a name to map."""
    return models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=blank,
        related_name=related_name,
        verbose_name=verbose_name,
        **kwargs,
    )
