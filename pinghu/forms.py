"""Form helpers every app's pages share."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from . import figures


class NormalizedNumberInput(forms.NumberInput):
    """A number input showing a stored decimal without trailing zeros: 566.6667, not 566.66670000; 1000, not 1000.00."""

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return str(figures.normalized(value))
        return super().format_value(value)


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget of ``form`` its Bootstrap class (the templates stay free of per-field markup);
    decimal inputs show their value without trailing zeros."""
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField) and type(field.widget) is forms.NumberInput:
            field.widget = NormalizedNumberInput(attrs=field.widget.attrs)
            field.widget.is_required = field.required
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "list-unstyled"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


def add_refusal(form: forms.BaseForm, refusal: ValidationError) -> None:
    """Put a service's refusal on ``form``: each message on its field where the form has one, else above it."""
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal)
        return
    for field, errors in refusal.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
