"""What every server-rendered page of every app does the same way: pages of 50, the API's FilterSets, refusals.

Nothing here knows an app's models; the apps' ``views.py`` call these helpers.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from .forms import bootstrap
from .permissions import DENIED, may
from .querystrings import without_format

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The ``?page=`` page of ``queryset`` (the last page for a number past the end, the first for nonsense)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def filtered(request: HttpRequest, filterset_class, queryset):
    """The API's FilterSet applied to ``queryset``: the filter (for the form) and the rows (none if invalid)."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    bootstrap(filterset.form)
    if not filterset.is_bound:
        return filterset, queryset
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


def form_problems(form) -> str:
    """A refused form's errors on one line, each after its field's label (for a message on the next page)."""
    problems = list(form.non_field_errors()) + [
        f"{form.fields[name].label}: {error}"
        for name, errors in form.errors.items()
        for error in errors
        if name in form.fields
    ]
    return "; ".join(problems)


def query_without_page(request: HttpRequest) -> str:
    """The request's query string less ``page`` and ``format``: what pagination links and export links build on."""
    return without_format(request.GET, "page").urlencode()


def require(request: HttpRequest, perm: str, obj=None) -> None:
    """Refuse (403 with the site's page) unless the user's role and, for ``obj``, its object rule allow ``perm``."""
    if not may(request.user, perm, obj):
        raise PermissionDenied(DENIED)
