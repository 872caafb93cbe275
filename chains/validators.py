"""Validators for enterprise identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pinghu.text import join_list

# GB 32100-2015: the 31 characters a unified social credit code may use (no I, O, S, V, Z).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18


def normalize_credit_code(value: str | None) -> str | None:
    """Upper-case and strip a credit code as typed; an empty value becomes ``None``."""
    if value is None:
        return None
    value = "".join(value.split()).upper()
    return value or None


def credit_code_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a credit code (GB 32100-2015)."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Reject anything but a well-formed 18-character unified social credit code."""
    if len(value) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="credit_code_length",
            params={"length": len(value)},
        )
    bad = sorted({char for char in value if char not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code may not contain %(chars)s (allowed: digits and %(letters)s)."),
            code="credit_code_characters",
            params={"chars": join_list(bad), "letters": CREDIT_CODE_ALPHABET[10:]},
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character (the 18th) of this unified social credit code is wrong: expected %(expected)s."),
            code="credit_code_check",
            params={"expected": expected},
        )
