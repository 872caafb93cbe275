"""The amount field every money, land and output figure of the projects app is declared with."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models


def amount_field(verbose_name, *, null=True, help_text="") -> models.DecimalField:
    """A figure ≥ 0 with two decimals (万元, 万美元 or 亩 as its label says); optional unless ``null=False``."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=null,
        blank=null,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
    )
