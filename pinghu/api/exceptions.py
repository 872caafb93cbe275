"""Errors as JSON with field-level messages, Django's own validation errors included."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler

from pinghu.concurrency import is_stale

from .concurrency import PreconditionFailed


def api_exception_handler(exc, context):
    """Turn a ``django.core.exceptions.ValidationError`` raised by a service into a 400 like DRF's own.

    A stale version (``pinghu.concurrency.lock_for_update``) is the HTTP precondition failing: 412.
    """
    if isinstance(exc, DjangoValidationError):
        if is_stale(exc):
            exc = PreconditionFailed()
        else:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            exc = exceptions.ValidationError(detail=detail)
    return exception_handler(exc, context)
