"""Comparing what a file names with what is on record: ``normalise``, company forms, ``chunks``.

Each kind's resource builds its lookup indexes from normalised names and codes, read in chunks of
``__in`` queries; the widgets look cells up in them. Reading files lives in ``reading``, the
widgets in ``widgets``, the resource in ``resource``.
"""

from __future__ import annotations

import unicodedata

from django.utils.encoding import force_str

# A header or name compared after these: full-width forms and spaces do not make a different name.
_SPACES = str.maketrans("", "", " \t\r\n\u3000\u00a0")


def normalise(value) -> str:
    """A name or header as compared on import: full-width folded to half-width (NFKC), spaces removed, case folded."""
    return unicodedata.normalize("NFKC", force_str(value or "")).translate(_SPACES).casefold()


# "有限公司" and "有限责任公司" are different legal names: never matched, but flagged.
COMPANY_FORMS = ("有限责任公司", "有限公司")


def company_form_variant(normalised_name: str) -> str | None:
    """The same normalised name with the other company form, if it ends with one."""
    long, short = COMPANY_FORMS
    if normalised_name.endswith(long):
        return normalised_name[: -len(long)] + short
    if normalised_name.endswith(short):
        return normalised_name[: -len(short)] + long
    return None


def chunks(values, size: int = 1000):
    """``values`` sorted, in lists of ``size``: for ``__in`` queries that stay under the databases' limits."""
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]
