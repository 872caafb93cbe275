"""What every server-rendered page of every app does the same way: pages of 50, the API's FilterSets, refusals,
a create form posted twice.

Nothing here knows an app's models; the apps' ``views.py`` call these helpers.
"""

from collections.abc import Callable
from uuid import uuid4

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _

from .filter_ui import plain_form
from .forms import bootstrap
from .models import IdempotencyKey
from .permissions import DENIED, may
from .querystrings import without_format

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The ``?page=`` page of ``queryset`` (the last page for a number past the end, the first for nonsense)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def filtered(request: HttpRequest, filterset_class, queryset):
    """The API's FilterSet applied to ``queryset``: the filter (for the form, in plain words) and the rows (none if
    invalid)."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    bootstrap(plain_form(filterset))  # the page's labels and pickers (pinghu.filter_ui); the API's names
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


IDEMPOTENCY_FIELD = "idempotency_key"


class IdempotencyKeyField(forms.CharField):
    """A create form's hidden ``Idempotency-Key``: a new UUID each time the empty form is rendered.

    Posted again (a double click, a retried submit on a bad connection), the same key makes
    ``post_once`` answer with the first POST's redirect instead of saving a second time.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=255, initial=lambda: uuid4().hex, **kwargs)


def replayed_post(request: HttpRequest, scope: str) -> HttpResponse | None:
    """The first answer to this form's key (``IDEMPOTENCY_FIELD``) when it was already saved, else None."""
    key = request.POST.get(IDEMPOTENCY_FIELD, "")[:255]
    if not key:
        return None
    stored = IdempotencyKey.objects.filter(user=request.user, scope=scope, key=key, status_code__isnull=False).first()
    return _replay(request, stored) if stored is not None else None


def post_once(request: HttpRequest, scope: str, save: Callable[[], HttpResponse | None]) -> HttpResponse | None:
    """Run ``save`` (a redirect when it saved, None when it refused) once per user, ``scope`` and posted key.

    The key is the same ``IdempotencyKey`` row the API's ``Idempotency-Key`` header claims, taken in
    ``save``'s transaction: a second POST of the same form waits for the first, then gets its
    redirect; a refused save keeps nothing, so the corrected form can be posted with the same key.
    """
    key = request.POST.get(IDEMPOTENCY_FIELD, "")[:255]
    if not key:
        return save()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(user=request.user, scope=scope, key=key, request_hash="")
        except IntegrityError:
            return _replay(request, IdempotencyKey.objects.get(user=request.user, scope=scope, key=key))
        response = save()
        if response is None:
            transaction.set_rollback(True)
            return None
        claim.status_code = response.status_code
        claim.response = {"location": response["Location"]}
        claim.save(update_fields=["status_code", "response"])
    return response


def _replay(request: HttpRequest, stored: IdempotencyKey) -> HttpResponse:
    messages.info(request, _("This form was already sent and saved; it was not saved a second time."))
    return HttpResponseRedirect(stored.response["location"])


# The offline queue (pinghu.offline, static/pinghu/offline/queue.js) sends a queued form with this header and
# reads a JSON answer instead of a page: where the saved object is, or why the form was refused.
QUEUE_HEADER = "X-Pinghu-Queue"


def queued(request: HttpRequest) -> bool:
    """Whether the browser's offline queue sent this POST (it wants JSON, not a page)."""
    return request.method == "POST" and request.headers.get(QUEUE_HEADER) == "1"


def queue_answer(request: HttpRequest, response: HttpResponse, *, replayed: bool = False) -> HttpResponse:
    """A saved form's redirect as the queue's JSON: 201 ``{"url": ...}``, 200 with ``replayed`` for a key already
    saved (the same visit arriving again). Any other request gets ``response`` unchanged."""
    if not queued(request) or not isinstance(response, HttpResponseRedirect):
        return response
    body = {"url": response["Location"], "replayed": replayed}
    return JsonResponse(body, status=200 if replayed else 201)


def queue_refusal(form) -> JsonResponse:
    """A refused form as the queue's JSON (400): each field's label and errors, the form's own errors, one line."""
    fields = {
        name: {"label": str(form.fields[name].label or name), "errors": [str(error) for error in errors]}
        for name, errors in form.errors.items()
        if name in form.fields
    }
    return JsonResponse(
        {
            "errors": fields,
            "non_field_errors": [str(e) for e in form.non_field_errors()],
            "message": form_problems(form),
        },
        status=400,
    )
