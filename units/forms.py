"""The form field of a unit: a choice among the active units (and the one already chosen)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import UnitKind
from .models import Unit


def active_units(current=None):
    """The units a form offers: the active ones, and ``current`` (a unit or its id) even if no longer active."""
    queryset = Unit.objects.filter(is_active=True)
    current_id = getattr(current, "pk", current)
    if current_id:
        queryset = Unit.objects.filter(pk=current_id) | queryset
    return queryset.order_by("kind", "name")


def offer_active_units(form: forms.BaseForm, name: str, current=None) -> None:
    """Limit ``form``'s unit field ``name`` to the active units (and ``current``)."""
    field = form.fields.get(name)
    if field is not None:
        field.queryset = active_units(current)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen from the active units."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", active_units())
        kwargs.setdefault("label", _("unit"))
        super().__init__(**kwargs)


class MapNameForm(forms.Form):
    """Map a unit name still to map: to a unit, or (none chosen) to a new unit of that name and kind."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=128)
    unit = UnitChoiceField(label=_("map to unit"), required=False)
    kind = forms.ChoiceField(label=_("or create a unit of kind"), choices=UnitKind.choices, required=False)

    def clean(self):
        data = super().clean()
        if data.get("unit") is None and not data.get("kind"):
            raise forms.ValidationError(_("Choose the unit the name means, or the kind of the unit to create."))
        return data
