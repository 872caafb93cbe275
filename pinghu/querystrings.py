"""Query strings: ``without_format``, the one place ``?format=`` is dropped from a request's parameters.

``format`` is DRF's (``?format=json|csv|xlsx``, ``URL_FORMAT_OVERRIDE``). A page carries its
filters onto its pagination and export links without it (each export link adds its own); a
statistics endpoint validates every parameter but that one. Building query strings from a dict
for a template is the ``urlencode_dict`` filter (``pinghu_tags``).
"""

from django.http import QueryDict
from rest_framework.settings import api_settings


def without_format(params: QueryDict, *others: str) -> QueryDict:
    """A mutable copy of ``params`` without ``format`` and without the parameters in ``others`` (``page``, say)."""
    query = params.copy()
    for name in (api_settings.URL_FORMAT_OVERRIDE, *others):
        query.pop(name, None)
    return query
