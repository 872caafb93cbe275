"""Read-side queries of the chain structure that more than one caller needs.

Writes are ``chains.services``; aggregates are ``chains.stats``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Enterprise
from .names import firm_name_key, firm_name_variant_key


def enterprises_named(name: str):
    """The firms whose name matches ``name`` once normalised (an indexed lookup); usually one, at most a few."""
    key = firm_name_key(name)
    return Enterprise.objects.filter(name_key=key) if key else Enterprise.objects.none()


def enterprise_near_name(name: str) -> Enterprise | None:
    """A firm whose name differs from ``name`` only by 有限公司/有限责任公司 (a different legal name)."""
    variant = firm_name_variant_key(name)
    return Enterprise.objects.filter(name_key=variant).first() if variant else None


def near_name_hint(near: str) -> str:
    """What to tell someone who typed a name whose other company form is recorded."""
    return _(
        "%(near)s exists, which differs only in 有限公司/有限责任公司; these are different legal names: "
        "use that name if it is the same firm."
    ) % {"near": near}


def enterprise_by_name(name: str) -> Enterprise | None:
    """The one firm a typed name stands for, or ``None`` when none is recorded under it.

    Raises ``ValidationError`` when the name matches several firms once normalised: which one is
    meant cannot be guessed. The phone's visit form, the problem form and the import use this rule.
    """
    firms = list(enterprises_named(name)[:2])
    if len(firms) > 1:
        raise ValidationError(
            _("Several enterprises match %(name)s once spaces and full-width forms are ignored: type the exact name.")
            % {"name": name},
            code="ambiguous",
        )
    return firms[0] if firms else None
