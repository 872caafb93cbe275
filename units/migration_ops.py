"""What the migrations that turn a unit named as text into a foreign key to ``Unit`` share.

Each app's migration renames its text column to ``<field>_text``, adds the foreign key ``<field>``, then
runs ``map_texts``: each distinct text is matched (``units.matching.UnitMatcher``: exact name, then
normalised name without a leading 平湖市, then the reference list, whose unit is created when a text names
it) and the rows (and their history) get the unit, their text emptied. A text no unit matches stays in
``<field>_text``, listed for the bureau to map (``units.selectors.unmapped_names``). Nothing else is
created. Unapplied, ``unmap_texts`` writes the unit's name back into the text column.
"""

from django.db import migrations

from pinghu.imports import normalise

from .matching import UnitMatcher


def map_texts(apps, model_names: list[tuple[str, str]], field: str) -> None:
    """Set ``field`` from ``<field>_text`` on every row of the models (``(app_label, model_name)``)."""
    matcher = UnitMatcher(apps.get_model("units", "Unit"), create_reference=True)
    text_field = f"{field}_text"
    for app_label, model_name in model_names:
        manager = apps.get_model(app_label, model_name)._base_manager
        texts = manager.exclude(**{text_field: ""}).order_by().values_list(text_field, flat=True).distinct()
        for text in sorted(set(texts)):
            unit = matcher.match(text)
            if unit is not None:
                manager.filter(**{text_field: text}).update(**{f"{field}_id": unit.pk, text_field: ""})


def unmap_texts(apps, model_names: list[tuple[str, str]], field: str, *, normalised: bool = False) -> None:
    """Write each row's unit's name (``normalised``: as ``normalise`` gives it) back into ``<field>_text``."""
    unit_model = apps.get_model("units", "Unit")
    text_field = f"{field}_text"
    for app_label, model_name in model_names:
        manager = apps.get_model(app_label, model_name)._base_manager
        ids = set(manager.exclude(**{f"{field}_id": None}).order_by().values_list(f"{field}_id", flat=True))
        for unit in unit_model._base_manager.filter(pk__in=ids):
            name = normalise(unit.name) if normalised else unit.name
            manager.filter(**{f"{field}_id": unit.pk}).update(**{text_field: name})


def mapping_operation(model_names: list[tuple[str, str]], field: str, *, normalised: bool = False):
    """The ``RunPython`` of a migration: ``map_texts`` forward, ``unmap_texts`` backward."""

    def forward(apps, schema_editor) -> None:
        map_texts(apps, model_names, field)

    def backward(apps, schema_editor) -> None:
        unmap_texts(apps, model_names, field, normalised=normalised)

    return migrations.RunPython(forward, backward)
