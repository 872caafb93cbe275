"""Optimistic concurrency: every edit names the version it started from, and a stale one is refused.

A row's version is its last-change time (``updated_at``, which every save moves). The API sends it
as an ``ETag`` (the version in quotes) and expects it back in ``If-Match``; the site's and the
admin's edit forms carry it in a hidden field. Neither compares it: each hands it to the write's
service as ``expected_version``, and the service checks it with ``lock_for_update`` on the row
locked for the write, in the write's transaction. So the page, the admin and the API refuse a stale
edit the same way, with the same check.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from pinghu.history import history_entries

# The code of the ValidationError a stale write raises: the API answers it with 412.
STALE = "stale"


def version_of(instance) -> str:
    """The version of a saved row: its last-change time, to the microsecond."""
    return instance.updated_at.isoformat(timespec="microseconds")


def etag_of(instance) -> str:
    """A strong entity tag for the row's current version: the version itself, quoted."""
    return f'"{version_of(instance)}"'


def version_from_etag(tag: str) -> str:
    """The version an entity tag names (its quotes dropped)."""
    tag = tag.strip()
    return tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else tag


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


def lock_for_update(model, pk, expected_version: str | None):
    """Row ``pk`` of ``model``, locked until the caller's transaction ends; refused if past ``expected_version``.

    The one version check of every write: an update service calls it first, inside its
    ``@transaction.atomic``, so no one can save the row between the check and the write.
    ``expected_version`` is the ``version_of`` the caller read (an empty string, from a form that
    lost it, never matches); ``None`` skips the check, for internal callers such as the import.
    A stale version raises a ValidationError with code ``stale`` and ``stale_message``.
    """
    current = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and expected_version != version_of(current):
        raise ValidationError(stale_message(current), code=STALE)
    return current


def is_stale(error: ValidationError) -> bool:
    """Was ``error`` raised by ``lock_for_update`` for a stale version?"""
    # A stale refusal is a plain error, never one keyed by field (which has no error_list).
    return any(item.code == STALE for item in getattr(error, "error_list", []))


class VersionedFormMixin(forms.Form):
    """A ``version`` hidden field on an edit form: the version the user opened, for the service to check.

    The form compares nothing itself; the view (or the admin) passes ``expected_version`` to the
    update service, which refuses a stale one (see ``lock_for_update``).
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields["version"].initial = version_of(instance)

    @property
    def expected_version(self) -> str | None:
        """What the service checks: ``None`` for a new row; else the version sent (an empty one is stale)."""
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return None
        return self.cleaned_data.get("version") or ""
