"""Finding the unit a name written as text means: by exact name, then by normalised name.

``normalise`` (``pinghu.imports.normalise``: full width folded, spaces removed, case folded) and a
leading "平湖市" dropped: "平湖市 商务局", "商务局" and "平湖市商务局" are one unit. The reference list
(``units.reference``) adds the short names in common use ("经信局"). Shared by the mapping migrations
(with their historical ``Unit`` model), imports, the API and forms, so a name is matched one way.
"""

from pinghu.imports import normalise

from .reference import ALIASES, REFERENCE_UNITS

CITY_PREFIX = normalise("平湖市")


def compare_key(name: str) -> str:
    """The name as compared: normalised, a leading 平湖市 dropped, a short name replaced by its full name's."""
    key = normalise(name)
    if key.startswith(CITY_PREFIX) and len(key) > len(CITY_PREFIX):
        key = key[len(CITY_PREFIX) :]
    full = _ALIAS_KEYS.get(key)
    return full if full is not None else key


def _stripped(name: str) -> str:
    key = normalise(name)
    return key[len(CITY_PREFIX) :] if key.startswith(CITY_PREFIX) and len(key) > len(CITY_PREFIX) else key


_ALIAS_KEYS = {_stripped(alias): _stripped(full) for alias, full in ALIASES.items()}
_REFERENCE_BY_KEY = {_stripped(name): (name, kind) for name, kind in REFERENCE_UNITS}


def reference_unit(name: str) -> tuple[str, str] | None:
    """The reference unit (full name, kind) a name means, or ``None``."""
    return _REFERENCE_BY_KEY.get(compare_key(name))


class UnitMatcher:
    """Names → units over one read of the units (``unit_model`` may be a migration's historical model)."""

    def __init__(self, unit_model, *, create_reference: bool = False) -> None:
        self.unit_model = unit_model
        self.create_reference = create_reference
        self.by_name: dict[str, object] = {}
        self.by_key: dict[str, list] = {}
        for unit in unit_model.objects.all():
            self._remember(unit)

    def _remember(self, unit) -> None:
        self.by_name.setdefault(unit.name, unit)
        self.by_key.setdefault(compare_key(unit.name), []).append(unit)

    def match(self, text: str):
        """The unit ``text`` names (exact name, then the one unit of its normalised name), or ``None``.

        With ``create_reference``, a name of the reference list with no unit yet creates that unit.
        """
        text = (text or "").strip()
        if not text:
            return None
        if text in self.by_name:
            return self.by_name[text]
        candidates = self.by_key.get(compare_key(text), [])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates and self.create_reference:
            found = reference_unit(text)
            if found is not None:
                name, kind = found
                unit = self.unit_model.objects.create(name=name, key=normalise(name), kind=kind)
                self._remember(unit)
                return unit
        return None


def find_unit(name: str):
    """The ``units.Unit`` a name given in a form, a sheet or the API means, or ``None`` (exact, then normalised)."""
    from .models import Unit

    name = (name or "").strip()
    if not name:
        return None
    exact = Unit.objects.filter(name=name).first()
    if exact is not None:
        return exact
    key = compare_key(name)
    matches = [unit for unit in Unit.objects.all() if compare_key(unit.name) == key]
    return matches[0] if len(matches) == 1 else None
