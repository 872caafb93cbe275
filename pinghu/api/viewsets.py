"""What every app's API views share: the documented error answers and the write viewset."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import mixins, viewsets

from .concurrency import ConditionalUpdateMixin

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: field-level messages.")),
    401: OpenApiResponse(description=_("Not authenticated: missing, unknown, revoked or expired token.")),
    403: OpenApiResponse(description=_("Not allowed: read-only token or missing permission.")),
}
READ_ERRORS = {key: ERRORS[key] for key in (400, 401)}


class WriteViewSet(
    ConditionalUpdateMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and update (conditionally, with If-Match); no deletion through the API."""

    lookup_value_regex = r"[0-9]+"
