"""Punctuation that follows the active language: Chinese full-width marks in Chinese, Latin ones in English.

Where code or a template joins pieces (a list of names, a label and its value, a note in parentheses)
the marks come from here (the ``punct`` template tag too), never written into the code.
"""

from django.utils.translation import pgettext, pgettext_lazy

PUNCTUATION = {
    "colon": pgettext_lazy("punctuation: after a label", ": "),
    "comma": pgettext_lazy("punctuation: between the items of a list", ", "),
    "semicolon": pgettext_lazy("punctuation: between clauses", "; "),
    "open": pgettext_lazy("punctuation: opening parenthesis", " ("),
    "close": pgettext_lazy("punctuation: closing parenthesis", ")"),
}


def mark(name: str) -> str:
    """One mark in the active language: ``mark("comma")`` is "、" in Chinese, ", " in English."""
    return str(PUNCTUATION[name])


def join_list(items) -> str:
    """Items as a list: "甲、乙" in Chinese, "A, B" in English."""
    return mark("comma").join(str(item) for item in items)


def join_clauses(items) -> str:
    """Clauses one after another: "…；…" in Chinese, "…; …" in English."""
    return mark("semicolon").join(str(item) for item in items)


def with_note(text, note) -> str:
    """``text`` with ``note`` in parentheses: "名称（说明）" in Chinese, "name (note)" in English."""
    return pgettext("a text and its note in parentheses", "%(text)s (%(note)s)") % {"text": text, "note": note}
