"""How a firm's name is matched wherever one is typed: the phone's visit form, the problem form, the import.

A name is compared once normalised (full-width forms folded to half-width, spaces removed, case
folded), so "平湖  ＡＢＣ有限公司 " finds "平湖ABC有限公司". "有限公司" and "有限责任公司" are
different legal names: never matched to each other, but the near miss is pointed out.
"""

from django.utils.translation import gettext as _

from pinghu.imports import company_form_variant, normalise


def firm_name_key(name: str) -> str:
    """The normalised form of a firm's name, stored on every enterprise (``Enterprise.name_key``)."""
    return normalise(name)


def firm_name_variant_key(name: str) -> str | None:
    """The key of the same name with the other company form (有限公司 ↔ 有限责任公司), if it has one."""
    return company_form_variant(firm_name_key(name))


def near_name_hint(near: str) -> str:
    """What to tell someone who typed a name whose other company form is recorded."""
    return _(
        "%(near)s exists, which differs only in 有限公司/有限责任公司; these are different legal names: "
        "use that name if it is the same firm."
    ) % {"near": near}


def same_key_hint(existing: str) -> str:
    """What to tell someone who typed a name that only spaces or full-width forms set apart from a recorded one."""
    return _(
        "%(existing)s is already recorded, differing only in spaces or full-width characters: use that enterprise."
    ) % {"existing": existing}


def same_credit_code_hint(code: str, existing: str) -> str:
    """What to tell someone who typed a credit code another firm already has."""
    return _("The credit code %(code)s is already recorded for %(existing)s: use that enterprise.") % {
        "code": code,
        "existing": existing,
    }
