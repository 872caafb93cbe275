"""Optimistic concurrency: every edit names the version it started from, and a stale one is refused.

A row's version is its last-change time (``updated_at``, which every save moves). The API sends it
as an ``ETag`` and expects it back in ``If-Match``; the site's and the admin's edit forms carry it
in a hidden field. The check runs on the row locked for the write, in the write's transaction.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from pinghu.history import history_entries


def version_of(instance) -> str:
    """The version of a saved row: its last-change time, to the microsecond."""
    return instance.updated_at.isoformat(timespec="microseconds")


def etag_of(instance) -> str:
    """A strong entity tag for the row's current version."""
    return f'"{instance.pk}-{instance.updated_at.timestamp():.6f}"'


def stale_message(current) -> str:
    """The conflict message: that someone saved the row meanwhile, and who changed what last."""
    message = str(_("Someone else saved this record after you opened it; your changes were not saved."))
    latest = history_entries(current, limit=1)
    if latest:
        entry = latest[0]
        change = _("%(date)s, %(user)s: %(fields)s") % {
            "date": formats.date_format(timezone.localtime(entry["date"]), "Y-m-d H:i"),
            "user": entry["user"] or _("system"),
            "fields": ", ".join(str(change["label"]) for change in entry["changes"]) or entry["type"],
        }
        message += " " + str(_("Latest change: %(change)s.")) % {"change": change}
    return message


class VersionedFormMixin(forms.Form):
    """A ``version`` hidden field on an edit form, checked against the locked row in ``clean``.

    The view must validate and save in one transaction (the admin's change view does), so the
    row stays locked from the check to the write.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields["version"].initial = version_of(instance)

    def clean(self):
        cleaned = super().clean()
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return cleaned
        current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        if cleaned.get("version") != version_of(current):
            raise ValidationError(stale_message(current), code="stale")
        return cleaned
