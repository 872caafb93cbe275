"""``Idempotency-Key`` on create requests: a retried request gets the first response, not a second row."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from pinghu.models import IdempotencyKey

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Any unique string (e.g. a UUID) chosen by the client for this request. Sending the same request "
        "again with the same key returns the first response instead of creating a second record."
    ),
)
IDEMPOTENCY_ERRORS = {422: OpenApiResponse(description=_("The key was already used for a different request."))}


class KeyReused(APIException):
    status_code = 422
    default_detail = _("This Idempotency-Key was already used for a different request.")
    default_code = "idempotency_key_reused"


class IdempotentCreateMixin:
    """``POST`` with an ``Idempotency-Key`` header runs once per user and key; a retry gets the stored response."""

    idempotency_scope = ""

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return super().create(request, *args, **kwargs)
        if len(key) > 255:
            raise serializers.ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
        fingerprint = hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()
        scope = self.idempotency_scope or self.basename
        with transaction.atomic():
            try:
                # Claimed first: a concurrent retry with the same key waits here for this
                # transaction, then finds the key taken and replays the stored response.
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(
                        user=request.user, scope=scope, key=key, request_hash=fingerprint
                    )
            except IntegrityError:
                stored = IdempotencyKey.objects.get(user=request.user, scope=scope, key=key)
                if stored.request_hash != fingerprint:
                    raise KeyReused() from None
                return Response(stored.response, status=stored.status_code, headers={"Idempotent-Replayed": "true"})
            response = super().create(request, *args, **kwargs)
            claim.status_code = response.status_code
            claim.response = json.loads(JSONRenderer().render(response.data))
            claim.save(update_fields=["status_code", "response"])
        return response
