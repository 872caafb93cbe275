"""Pages of records, by model: an app registers the page that shows one record of a model, so a lower app can
link to it without naming the upper app (a record's page may live in an app above the one that lists it).

``register_page("<app>.<Model>", "<namespace>:<url name>")`` in an ``AppConfig.ready()``;
``page_url("<app>.<Model>", pk)`` gives the page's path, or ``None`` when no app shows such records.
"""

from django.urls import reverse

_PAGES: dict[str, str] = {}


def register_page(model_label: str, url_name: str) -> None:
    """The page (a URL name taking the primary key) that shows one record of ``model_label`` (``app.Model``)."""
    _PAGES[model_label.lower()] = url_name


def page_url(model_label: str, pk: int) -> str | None:
    """The path of the page showing record ``pk`` of ``model_label``, or ``None`` when none is registered."""
    url_name = _PAGES.get(model_label.lower())
    return reverse(url_name, args=[pk]) if url_name else None
