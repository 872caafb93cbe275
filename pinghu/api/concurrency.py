"""Conditional writes in the API: ETag on detail responses, If-Match required on PUT and PATCH.

The view compares no versions: it turns ``If-Match`` into the ``expected_version`` the write's
service checks on the locked row (``pinghu.concurrency.lock_for_update``), and the exception handler
answers the service's stale refusal with 412.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException

from pinghu.concurrency import etag_of, version_from_etag, version_of


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
# For the workflow steps (a stage move, a problem's step): a client that read the record may say which
# version it moves; one that did not may still move it, as before the header was accepted.
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Optional: the ETag of the version you read (from GET of the record); if the record changed since, "
        "the step is refused with 412. Leave it out, or send *, to take the step whatever the version."
    ),
)
STALE_ERRORS = {412: OpenApiResponse(description=_("Stale: the record changed since the ETag was read."))}
CONDITIONAL_ERRORS = {**STALE_ERRORS, 428: OpenApiResponse(description=_("If-Match header missing."))}


class ConditionalUpdateMixin:
    """Detail responses carry an ``ETag``; ``PUT``/``PATCH`` need an ``If-Match`` (428 without, 412 stale).

    The version the header names reaches the serializer as ``context["expected_version"]``, which
    its ``update`` hands to the service; the service checks it on the row locked for the update,
    so two writers holding the same tag cannot both succeed. Extra actions that take a workflow step
    read an optional header with ``if_match_version(request, required=False)`` and answer with
    ``with_etag``.
    """

    _expected_version: str | None = None

    def get_object(self):
        self._object = super().get_object()
        return self._object

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "expected_version": self._expected_version}

    def if_match_version(self, request, *, required: bool) -> str | None:
        """The version ``If-Match`` names; ``None`` for ``*`` or (when not ``required``) no header."""
        header = request.headers.get("If-Match", "")
        tags = [tag.strip() for tag in header.split(",") if tag.strip()]
        if not tags:
            if required:
                raise PreconditionRequired()
            return None
        if "*" in tags:
            return None
        versions = [version_from_etag(tag) for tag in tags]
        if len(versions) > 1:
            # The service checks one version under its lock: hand it the tag naming the version current
            # now, if one does (a write in between is still refused there), else any (it is refused).
            current = version_of(self.get_object())
            return current if current in versions else versions[0]
        return versions[0]

    @staticmethod
    def with_etag(response, instance):
        response["ETag"] = etag_of(instance)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self.with_etag(super().retrieve(request, *args, **kwargs), self._object)

    def update(self, request, *args, **kwargs):
        self._expected_version = self.if_match_version(request, required=True)
        response = super().update(request, *args, **kwargs)
        saved = type(self._object)._default_manager.only("pk", "updated_at").get(pk=self._object.pk)
        return self.with_etag(response, saved)
