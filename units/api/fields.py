"""The API field of a unit named on another resource: read as the unit's name, written by id or by name.

``host_unit``, ``responsible_unit``, ``assigned_unit``, a target's ``unit``: consumers that read the name
(the field was text before units were records) go on reading it; ``<field>_id`` gives the record.
A row whose unit is still a name to map (``<field>_text``) reads that name and a null id.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..matching import find_unit
from ..models import Unit


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "integer"}],
        "description": "Read: the unit's name. Write: its id or its name.",
    }
)
class UnitNameField(serializers.Field):
    """Reads the unit's name; takes a unit's id or its name (exact, or normalised without a leading 平湖市)."""

    default_error_messages = {
        "unknown": _("No unit is named “%(value)s”: give a unit's id or its name as the units list shows it."),
        "unknown_id": _("No unit has the id %(value)s."),
        "inactive": _("The unit “%(value)s” is no longer active."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("The unit's name (writes: its id or its name, as /api/v1/units/ lists it)."))
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance  # the name, or the text still to map, comes from the row (to_representation)

    def to_representation(self, instance):
        unit = getattr(instance, self.source, None)
        if unit is not None:
            return unit.name
        return getattr(instance, f"{self.source}_text", "") or None

    def to_internal_value(self, data):
        if data in (None, ""):
            if not self.allow_null and self.required:
                self.fail("required")
            return None
        if isinstance(data, int) and not isinstance(data, bool) or (isinstance(data, str) and data.isdigit()):
            unit = Unit.objects.filter(pk=int(data)).first()
            if unit is None:
                self._refuse("unknown_id", data)
        elif isinstance(data, str):
            unit = find_unit(data)
            if unit is None:
                self._refuse("unknown", data)
        else:
            self._refuse("unknown", data)
        if not unit.is_active:
            self._refuse("inactive", unit.name)
        return unit

    def _refuse(self, key: str, value) -> None:
        # The messages name their value as %(value)s (the house style), not DRF's {value}.
        raise serializers.ValidationError(self.error_messages[key] % {"value": value}, code=key)


class UnitIdField(serializers.IntegerField):
    """``<field>_id``: the unit's id, read-only (``null`` while the row names a unit still to map)."""

    def __init__(self, field: str, **kwargs):
        # Declared as ``<field>_id``, the model's own attribute: no ``source`` needed.
        kwargs.update(read_only=True, allow_null=True)
        kwargs.setdefault("help_text", _("The unit's id (/api/v1/units/)."))
        super().__init__(**kwargs)
