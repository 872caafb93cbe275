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
    """List, read, create and update (conditionally, with If-Match); no deletion through the API.

    A write answers with the record as a read shows it: the saved row is read again through the
    view's queryset, so what its annotations add (a salon's ``issue_count``, say) is in the answer too.
    """

    lookup_value_regex = r"[0-9]+"

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self.reread(serializer)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self.reread(serializer)

    def reread(self, serializer) -> None:
        """Answer with the saved row as the view's queryset reads it (annotations and prefetches included)."""
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)
