"""The filter form of a list page in plain words: the API's FilterSet with labels and pickers for people.

The FilterSets are shared by the API and the pages; their labels are the API's parameter descriptions
(``chain (code)``, ``investor (id)``) and stay so in the schema. On a page, ``plain_form(filterset)`` gives
the same form

- the labels of the FilterSet's ``ui_labels`` (``{"investor": _("investor")}``),
- check boxes for a choice that may be repeated (stages), a date picker for a date,
- a search box for a record too numerous for a select (a firm): the text typed is looked up with the
  function its app registers (``register_picker``), an id still works, and a small endpoint fills the
  box's suggestions (``static/pinghu/filter_pickers.js``; without script, the exact name works).

The parameter names and values in the URL stay the API's, so a page's query string is an API query.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Picker:
    """How a page picks a record of a model by typing: ``lookup(text)`` finds it, ``suggest`` lists candidates."""

    lookup: Callable[[str], object | None]
    suggest: str  # a URL name answering ?q= with JSON [{"id", "name"}]


_PICKERS: dict[str, Picker] = {}


def register_picker(model_label: str, *, lookup: Callable[[str], object | None], suggest: str) -> None:
    """A search box instead of a select for filters on ``model_label`` (``app.Model``) on every list page.

    ``lookup(text)`` returns the record a typed text stands for, ``None`` when none, or raises
    ``ValidationError`` when the text is ambiguous.
    """
    _PICKERS[model_label.lower()] = Picker(lookup, suggest)


class SearchInput(forms.TextInput):
    """A text box with a ``<datalist>`` of suggestions (filled by ``filter_pickers.js`` from ``data-suggest``)."""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return html + format_html('<datalist id="{}"></datalist>', self.attrs["list"])


class SearchChoiceField(forms.ModelChoiceField):
    """A record chosen by typing its name (or its id): the value sent is what was typed."""

    def __init__(self, picker: Picker, name: str, **kwargs):
        self.picker = picker
        super().__init__(
            widget=SearchInput(
                attrs={"list": f"{name}-options", "data-suggest": reverse(picker.suggest), "autocomplete": "off"}
            ),
            **kwargs,
        )

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if text.isdigit():
            return super().to_python(text)
        found = self.picker.lookup(text)
        if found is None:
            raise forms.ValidationError(
                _("Nothing is recorded under “%(value)s”: choose a name from the suggestions."),
                code="invalid_choice",
                params={"value": text},
            )
        return found

    def prepare_value(self, value):
        """Show a name, not an id, for a filter that arrived as an id (a drill-down link); one query."""
        if isinstance(value, str) and value.strip().isdigit():
            found = self.queryset.filter(pk=value.strip()).first()
            return str(found) if found is not None else value
        if hasattr(value, "_meta"):
            return str(value)
        return value


def plain_form(filterset) -> forms.Form:
    """``filterset.form`` with the page's labels and pickers (see the module); call before validating."""
    form = filterset.form
    labels = getattr(filterset, "ui_labels", {})
    for name, field in list(form.fields.items()):
        model = getattr(getattr(field, "queryset", None), "model", None)
        picker = _PICKERS.get(model._meta.label_lower) if model is not None else None
        if isinstance(field, forms.ModelChoiceField) and picker and not getattr(field, "to_field_name", None):
            field = form.fields[name] = SearchChoiceField(
                picker, name, queryset=field.queryset, required=False, label=field.label
            )
        elif isinstance(field, forms.MultipleChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
            widget = forms.CheckboxSelectMultiple()
            widget.choices = field.choices
            field.widget = widget
        elif isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if name in labels:
            field.label = labels[name]
    return form
