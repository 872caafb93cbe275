"""Reading units: the list with members counted, one unit with its members, the names still to map."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from .models import Unit
from .registry import UNIT_FIELDS


def unit_list() -> QuerySet:
    """Units with their parent and ``member_count``, in the register's order."""
    return Unit.objects.select_related("parent").annotate(member_count=Count("members", distinct=True))


def unit_detail(pk: int) -> Unit:
    """One unit with its parent, sub-units and members."""
    return (
        Unit.objects.select_related("parent")
        .prefetch_related("members", "children")
        .annotate(member_count=Count("members", distinct=True))
        .get(pk=pk)
    )


@dataclass
class UnmappedName:
    """A unit written as text that no unit matched: where it occurs and on how many rows."""

    text: str
    occurrences: list[tuple[object, int]]  # (the field's label, rows)

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.occurrences)


def unmapped_names() -> list[UnmappedName]:
    """Every text still to map, by text, with its rows per field (one grouped query per field)."""
    found: dict[str, UnmappedName] = {}
    for unit_field in UNIT_FIELDS.values():
        rows = (
            unit_field.model_class()
            ._base_manager.filter(**{f"{unit_field.field}__isnull": True})
            .exclude(**{unit_field.text_field: ""})
            .values(unit_field.text_field)
            .annotate(rows=Count("pk"))
            .order_by()
        )
        for row in rows:
            text = row[unit_field.text_field]
            found.setdefault(text, UnmappedName(text, [])).occurrences.append((unit_field.label, row["rows"]))
    return sorted(found.values(), key=lambda name: (-name.total, name.text))


def unmapped_count() -> int:
    """How many rows name a unit still to map."""
    return sum(name.total for name in unmapped_names())


__all__ = ["UnmappedName", "unit_detail", "unit_list", "unmapped_count", "unmapped_names"]
