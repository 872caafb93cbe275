"""Land parcels (地块): where a parcel is, its area, its use and status, the firm it was recycled from
(腾笼换鸟) and the project it was supplied to (供地)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chains.choices import Town
from chains.models import Enterprise
from pinghu.models import TimeStampedModel
from pinghu.plausibility import EARLIEST_DATE, amount_errors, date_errors
from pinghu.search import SearchSpec

from ..choices import ParcelStatus, ParcelUse
from .pipeline import Project


class LandParcel(TimeStampedModel):
    """A land parcel (地块), numbered as the land registry numbers it.

    ``origin`` is the low-efficiency firm whose land it was (腾笼换鸟); a supplied parcel names the
    project it went to and the day (both required then, by a database constraint).
    """

    number = models.CharField(
        _("parcel number"), max_length=64, unique=True, help_text=_("The land registry's number of the parcel.")
    )
    town = models.CharField(_("town"), max_length=16, choices=Town.choices)
    land_area = models.DecimalField(_("area (mu)"), max_digits=12, decimal_places=2, help_text=_("In 亩, more than 0."))
    use = models.CharField(_("planned use"), max_length=16, choices=ParcelUse.choices, default=ParcelUse.INDUSTRIAL)
    status = models.CharField(_("status"), max_length=16, choices=ParcelStatus.choices, default=ParcelStatus.IDLE)
    origin = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recycled_parcels",
        verbose_name=_("recycled from"),
        help_text=_("The low-efficiency firm whose land this was (腾笼换鸟), if any."),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="land_parcels",
        verbose_name=_("supplied to project"),
    )
    supplied_date = models.DateField(_("supplied on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    search_spec = SearchSpec(text=("number", "notes"), related=("project",))

    class Meta:
        ordering = ["town", "number"]
        verbose_name = _("land parcel")
        verbose_name_plural = _("land parcels")
        constraints = [
            models.CheckConstraint(
                condition=Q(land_area__gt=0),
                name="projects_landparcel_area_positive",
                violation_error_message=_("The area (mu) must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ParcelStatus.SUPPLIED) | Q(project__isnull=False, supplied_date__isnull=False),
                name="projects_landparcel_supplied_has_project_and_date",
                violation_error_message=_("A supplied parcel needs the project it was supplied to and the day."),
            ),
            models.CheckConstraint(
                condition=Q(supplied_date__isnull=True) | Q(supplied_date__gte=EARLIEST_DATE),
                name="projects_landparcel_supplied_date_plausible",
                violation_error_message=_("The supplied date cannot be before 2000-01-01."),
            ),
        ]
        indexes = [models.Index(fields=["supplied_date", "town"], name="projects_parcel_supplied_idx")]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        super().clean()
        errors = {**amount_errors(self, ["land_area"]), **date_errors(self, ["supplied_date"])}
        # Said here first so the message sits on the field; the constraints hold the same rules.
        if self.land_area is not None and self.land_area <= 0:
            errors["land_area"] = _("The area (mu) must be more than zero.")
        if self.status == ParcelStatus.SUPPLIED:
            if self.project_id is None:
                errors["project"] = _("A supplied parcel needs the project it was supplied to.")
            if self.supplied_date is None:
                errors["supplied_date"] = _("A supplied parcel needs its supplied date.")
        if self.supplied_date is not None and self.supplied_date > timezone.localdate():
            errors["supplied_date"] = _("The supplied date cannot be in the future.")
        if self.status != ParcelStatus.SUPPLIED and self.supplied_date is not None:
            errors.setdefault("supplied_date", _("Only a supplied parcel has a supplied date."))
        if self.status not in (ParcelStatus.SUPPLIED, ParcelStatus.SUPPLYING) and self.project_id is not None:
            errors.setdefault("project", _("Only a parcel being supplied or supplied names a project."))
        if errors:
            raise ValidationError(errors)
