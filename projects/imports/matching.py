"""How an imported row finds its project or visit: by ID as exported, else by its natural key; conferences by name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pinghu.imports import (
    AMBIGUOUS,
    DateWidget,
    IntegerWidget,
    LookupWidget,
    normalise,
)

from ..models import SigningEvent


class MatchById:
    """Rows the file names by ID or by a natural key: an ID that does not exist is the row's error.

    Subclasses give ``natural_key(row)``, ``describe_natural_key(key)``, ``ambiguous()`` and, in
    ``prepare``, ``existing_ids`` and ``existing_keys`` (natural key → record, or ``AMBIGUOUS``).
    """

    def ids(self, dataset) -> set[int]:
        ids = set()
        for values in dataset:
            try:
                value = IntegerWidget().clean(self.value(dict(zip(dataset.headers, values, strict=False)), "id"))
            except (ValueError, KeyError):
                continue
            if value is not None:
                ids.add(value)
        return ids

    def id_of(self, row) -> int | None:
        try:
            return IntegerWidget().clean(self.value(row, "id"))
        except ValueError as error:
            raise ValidationError({"id": str(error)}) from error

    def row_keys(self, row) -> list[tuple]:
        """The ID and the natural key: a record named twice in a file, once by each, is a repeat too."""
        keys = []
        try:
            number = self.id_of(row)
        except ValidationError:
            number = None
        if number is not None:
            keys.append(("ID", number))
        try:
            keys.append(self.natural_key(row))
        except ValueError:
            pass  # the row's own error is reported when it is imported
        return keys

    def row_key(self, row):
        number = self.id_of(row)
        return ("ID", number) if number is not None else self.natural_key(row)

    def describe_key(self, key) -> str:
        return f"ID {key[1]}" if key[0] == "ID" else self.describe_natural_key(key)

    def find(self, row):
        """The record the row names by ID, else by its natural key (``existing_keys``), or ``None``."""
        found, by_id = self.by_id(row)
        if by_id:
            return found
        try:
            found = self.existing_keys.get(self.natural_key(row))
        except ValueError:
            return None  # an unknown firm or a bad date is the row's own error
        if found is AMBIGUOUS:
            raise self.ambiguous()
        return found

    def by_id(self, row):
        number = self.id_of(row)
        if number is None:
            return None, False
        found = self.existing_ids.get(number)
        if found is None:
            raise ValidationError(
                {
                    "id": gettext("There is no %(kind)s with ID %(id)s; leave the ID empty for a new one.")
                    % {"kind": self.kind_label, "id": number}
                }
            )
        return found, True


class SigningEventWidget(LookupWidget):
    """A conference by its name; where several share it (one every spring), the one on the row's signed date."""

    date_header = ""  # the signed date's column, set by the resource

    def __init__(self):
        super().__init__(_("signing conference"), required=False)

    def load(self) -> None:
        self.by_name: dict[str, list[SigningEvent]] = {}
        for event in SigningEvent.objects.all():
            for key in {normalise(event.name), normalise(str(event))}:
                self.by_name.setdefault(key, []).append(event)

    def lookup(self, text: str, row=None):
        events = self.by_name.get(normalise(text), [])
        if len(events) > 1 and row is not None:
            try:
                signed = DateWidget().clean(row.get(self.date_header))
            except ValueError:
                signed = None  # the date's own error is reported
            events = [event for event in events if event.date == signed]
        self.index = {normalise(text): events[0] if len(events) == 1 else (AMBIGUOUS if events else None)}
        return super().lookup(text)

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        return self.lookup(text, row) if text else None
