"""Conditional writes in the API: ETag on detail responses, If-Match required on PUT and PATCH."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException

from pinghu.concurrency import etag_of


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _("Send the If-Match header with the ETag of the version you are changing.")
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record has changed since you read it: read it again, then repeat your change.")
    default_code = "precondition_failed"


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_("The ETag of the version being changed (from GET of the record)."),
)
CONDITIONAL_ERRORS = {
    412: OpenApiResponse(description=_("Stale: the record changed since the ETag was read.")),
    428: OpenApiResponse(description=_("If-Match header missing.")),
}


class ConditionalUpdateMixin:
    """Detail responses carry an ``ETag``; ``PUT``/``PATCH`` need a matching ``If-Match`` (428 without, 412 stale).

    The tag is compared with the row locked for the update, in the update's transaction, so two
    writers holding the same tag cannot both succeed.
    """

    def get_object(self):
        self._object = super().get_object()
        return self._object

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_of(self._object)
        return response

    def update(self, request, *args, **kwargs):
        if_match = request.headers.get("If-Match")
        if not if_match:
            raise PreconditionRequired()
        with transaction.atomic():
            instance = self.get_object()
            current = type(instance)._default_manager.select_for_update().only("pk", "updated_at").get(pk=instance.pk)
            tags = {tag.strip() for tag in if_match.split(",")}
            if "*" not in tags and etag_of(current) not in tags:
                raise PreconditionFailed()
            response = super().update(request, *args, **kwargs)
        saved = type(instance)._default_manager.only("pk", "updated_at").get(pk=instance.pk)
        response["ETag"] = etag_of(saved)
        return response
