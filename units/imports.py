"""A unit named in an imported sheet: matched by its exact name, then by its normalised name.

Normalised as everywhere (``units.matching.compare_key``): full width folded, spaces removed, case folded,
a leading 平湖市 dropped, a short name in common use read as its full name. An unknown name is the
row's error, naming the column and the value; no unit is ever created by an import.
"""

from django.utils.translation import gettext_lazy as _

from pinghu.imports import AMBIGUOUS, LookupWidget

from .matching import compare_key
from .models import Unit


def unit_index() -> tuple[dict, dict]:
    """Active units by exact name and by compared name (``AMBIGUOUS`` where two share one), and their names."""
    exact, by_key, labels = {}, {}, {}
    for unit in Unit.objects.filter(is_active=True):
        exact[unit.name] = unit
        key = compare_key(unit.name)
        by_key[key] = AMBIGUOUS if key in by_key else unit
        labels[unit.pk] = unit.name
    return {"exact": exact, "key": by_key}, labels


class UnitLookupWidget(LookupWidget):
    """The unit a cell names (the widget's ``index`` from ``unit_index``, set when the import starts)."""

    def __init__(self, describe=None, *, required: bool = True):
        super().__init__(describe or _("unit"), required=required)

    def load(self) -> None:
        self.index, self.labels = unit_index()

    def lookup(self, text: str):
        if not self.index:
            self.load()
        found = self.index["exact"].get(text) or self.index["key"].get(compare_key(text))
        if found is AMBIGUOUS:
            raise ValueError(
                _("More than one unit is called %(value)s; write the unit's full name as the units list shows it.")
                % {"value": text}
            )
        if found is None:
            raise ValueError(
                _("Unknown unit: %(value)s. Write a unit's name as the units list shows it (单位管理).")
                % {"value": text}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return getattr(value, "name", None) or str(self.labels.get(getattr(value, "pk", value), value))
