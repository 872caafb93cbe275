"""A unit (单位): a city department, a town or street, a development zone; with its parent and its members.

Visits name their host unit, projects their responsible unit, problems the unit they are handed to
(交办), targets may be set on a unit, and notifications are addressed to a unit's members. ``key``
is the name as compared (``pinghu.imports.normalise``: full width folded, spaces removed, case
folded), unique, so that "平湖市商务局" typed twice with different spacing is one unit.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.imports import normalise
from pinghu.models import TimeStampedModel
from pinghu.search import SearchKeyMixin, SearchKeyQuerySet, SearchSpec, search_key_field

from .choices import UnitKind


class Unit(SearchKeyMixin, TimeStampedModel):
    """A department, town or street, or development zone, with the user accounts that act for it."""

    name = models.CharField(_("name"), max_length=128, help_text=_("The unit's full name, e.g. 平湖市商务局."))
    key = models.CharField(_("name as compared"), max_length=128, unique=True, editable=False)
    search_key = search_key_field()
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="units",
        verbose_name=_("members"),
        help_text=_("The accounts that act for the unit: they receive what is addressed to it."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = SearchKeyQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[members], excluded_fields=["search_key"])
    search_spec = SearchSpec(text=("name",), key="search_key", key_sources=("name",))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="units_unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="units_unit_name_required", violation_error_message=_("Name is required.")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = normalise(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.key = normalise(self.name or "")
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its sub-units.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def validate_unique(self, exclude=None):
        self.key = normalise(self.name or "")
        super().validate_unique(exclude)
