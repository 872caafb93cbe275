"""The name a row shows for its unit, in SQL: the unit's name, else the name still to map (``<field>_text``)."""

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf


def unit_label(field: str, prefix: str = ""):
    """``Coalesce(<field>__name, NULLIF(<field>_text, ''), '')``: for exports and searches."""
    return Coalesce(
        F(f"{prefix}{field}__name"), NullIf(F(f"{prefix}{field}_text"), Value("")), Value(""), output_field=CharField()
    )
