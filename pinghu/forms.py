"""Form helpers every app's pages share."""

from django import forms


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget of ``form`` its Bootstrap class (the templates stay free of per-field markup)."""
    for field in form.fields.values():
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
