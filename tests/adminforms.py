"""Posting an admin change form as a browser would: its fields as shown, with some changed."""

from django.urls import reverse

STALE = "您打开后，此记录已被他人保存"


def change_url(instance) -> str:
    opts = instance._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])


def change_form_data(client, url: str, **changes) -> dict:
    """The change form at ``url`` as the admin shows it (hidden version included), inlines left empty."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | changes
