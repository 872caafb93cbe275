"""Errors as JSON with field-level messages, Django's own validation errors included; JSON 404 for every API path."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from pinghu.concurrency import is_stale

from .concurrency import PreconditionFailed

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def api_exception_handler(exc, context):
    """Turn a ``django.core.exceptions.ValidationError`` raised by a service into a 400 like DRF's own.

    A stale version (``pinghu.concurrency.lock_for_update``) is the HTTP precondition failing: 412.
    A record not found answers DRF's own translated message. A 429 always says when to retry
    (``Retry-After``), whichever throttle refused.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # Django's message names the model in English; DRF's is translated
    if isinstance(exc, DjangoValidationError):
        if is_stale(exc):
            exc = PreconditionFailed()
        else:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
            # A model's own rules (full_clean's "__all__") under DRF's key, as a serializer's would be.
            if NON_FIELD_ERRORS in detail:
                detail[NON_FIELD] = [*detail.pop(NON_FIELD_ERRORS), *detail.get(NON_FIELD, [])]
            exc = exceptions.ValidationError(detail=detail)
    response = exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.setdefault("Retry-After", "60")
    return response


def not_found_response(request) -> JsonResponse:
    """The API's 404 (``{"detail": …}`` in the request's language) for a path no API view matched."""
    return JsonResponse(
        {"detail": str(exceptions.NotFound.default_detail)},
        status=exceptions.NotFound.status_code,
        json_dumps_params={"ensure_ascii": False},
    )
