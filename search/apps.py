"""The site's search page and its quick results, above every app whose rows it finds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Reads only: the matching itself is ``pinghu.search``, the key columns are the owning apps' models."""

    name = "search"
    verbose_name = _("Search")
