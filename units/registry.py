"""The fields of the apps above that name a unit, registered by each app in its ``AppConfig.ready``.

Each such field is a foreign key to ``Unit`` with, beside it, the text the row named before units were
records and that no unit matched yet (``<field>_text``, empty once mapped). ``units`` names no model of
the apps above it: the mapping service and the page of unmatched names read this registry.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitField:
    """A model's unit field and its text column: ``model`` is ``"app_label.ModelName"``."""

    model: str
    field: str
    label: object  # a lazy translation: where the name occurs ("Visits · host unit")

    @property
    def text_field(self) -> str:
        return f"{self.field}_text"

    @property
    def key(self) -> str:
        return f"{self.model}.{self.field}"

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)


UNIT_FIELDS: dict[str, UnitField] = {}


def register_unit_field(model: str, field: str, label) -> None:
    """Declare ``model.field`` (a foreign key to ``Unit``, with ``<field>_text`` beside it)."""
    unit_field = UnitField(model, field, label)
    UNIT_FIELDS[unit_field.key] = unit_field
