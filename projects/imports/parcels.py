"""Importing land parcels (地块): one row per parcel, matched by its number, with the columns of the parcel export.

A new parcel goes through ``parcel_create``; an existing one through ``parcel_update``, and a row that
has it supplied through ``parcel_supply`` (which refuses a parcel already supplied to another project).
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.imports import EnterpriseIndex
from pinghu.imports import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    ImportResource,
    IntegerWidget,
    LookupWidget,
    chunks,
    column,
    normalise,
)

from ..choices import ParcelStatus, ParcelUse
from ..models import LandParcel
from ..services import parcel_create, parcel_supply, parcel_update

PARCEL_FIELDS = ["town", "land_area", "use", "status", "origin", "project", "supplied_date", "notes"]


class ParcelResource(ImportResource):
    """Land parcels; the origin firm by name (as on record), the project by its ID (as the project export writes it)."""

    kind_label = _("land parcels")
    required = ("number", "town", "land_area")
    export_only = (_("supplied to project"),)

    number = column("number", _("parcel number"), help=_("The land registry's number; matches an existing parcel."))
    town = column("town", _("town"), ChoiceWidget(Town.choices, blank=None))
    land_area = column("land_area", _("area (mu)"), DecimalWidget(), help=_("In 亩, more than 0."))
    use = column("use", _("planned use"), ChoiceWidget(ParcelUse.choices, blank=ParcelUse.INDUSTRIAL))
    status = column("status", _("status"), ChoiceWidget(ParcelStatus.choices, blank=ParcelStatus.IDLE))
    origin = column(
        "origin_id",
        _("recycled from"),
        LookupWidget(_("enterprise"), required=False),
        help=_("The low-efficiency firm the land was recycled from (腾笼换鸟), by its name; may be empty."),
    )
    project = column("project_id", _("project ID"), IntegerWidget(), help=_("Required when the status is supplied."))
    supplied_date = column(
        "supplied_date", _("supplied on"), DateWidget(), help=_("E.g. 2025-03-01; not in the future.")
    )
    notes = column("notes", _("notes"))

    class Meta(ImportResource.Meta):
        model = LandParcel
        fields = ("number", *PARCEL_FIELDS)

    def prepare(self, dataset) -> None:
        firms = EnterpriseIndex()
        self.fields["origin"].widget = firms.widget(gettext("enterprise"), required=False)
        numbers = set()
        for values in dataset:
            key = self.row_key(dict(zip(dataset.headers, values, strict=False)))
            if key is not None:
                numbers.add(key[0])
        self.existing = {}
        for chunk in chunks(numbers):
            for parcel in LandParcel.objects.filter(number__in=chunk):
                self.existing[normalise(parcel.number)] = parcel

    def row_key(self, row):
        number = str(self.value(row, "number") or "").strip()
        return (number,) if number else None

    def describe_key(self, key) -> str:
        return gettext("parcel number %(number)s") % {"number": key[0]}

    def find(self, row):
        key = self.row_key(row)
        return None if key is None else self.existing.get(normalise(key[0]))

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            parcel_create(parcel=instance)
            return
        data = {name: getattr(instance, name) for name in PARCEL_FIELDS}
        if instance.status == ParcelStatus.SUPPLIED:
            project, date = data.pop("project"), data.pop("supplied_date")
            data.pop("status")
            saved = parcel_update(parcel=instance, data=data, expected_version=None)
            parcel_supply(parcel=saved, project=project, date=date)
            return
        parcel_update(parcel=instance, data=data, expected_version=None)
