"""``?deleted_since=`` on a list: what was deleted since a time, beside what the list shows.

A consumer that mirrors a list polls ``?updated_since=T&deleted_since=T``: the rows are what changed
since ``T``, and the answer's first page (page 1, or the first page of cursor mode) carries
``deleted``, the ids deleted since ``T`` with the time of each (``pinghu.tombstones``), and
``deleted_truncated``, true when more than ``DELETED_LIMIT`` were left out (ask again from the last
one's ``deleted_at``). Later pages carry neither, so walking the pages lists each deletion once.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from pinghu.filters import BoundedIsoDateTimeField
from pinghu.tombstones import deleted_since

from .pagination import PageOrCursorPagination

PARAMETER = "deleted_since"


class DeletionsPagination(PageOrCursorPagination):
    """The lists' pagination, documenting ``?deleted_since=`` and the ``deleted`` it adds to the first page."""

    def get_paginated_response_schema(self, schema):
        page_schema = super().get_paginated_response_schema(schema)
        page_schema["properties"]["deleted"] = {
            "type": "array",
            "description": str(_("Only with ?deleted_since=, on the first page: the ids deleted since then.")),
            "items": {
                "type": "object",
                "required": ["id", "deleted_at"],
                "properties": {"id": {"type": "integer"}, "deleted_at": {"type": "string", "format": "date-time"}},
            },
        }
        page_schema["properties"]["deleted_truncated"] = {
            "type": "boolean",
            "description": str(_("True when more deletions were left out: ask again from the last deleted_at.")),
        }
        return page_schema

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": PARAMETER,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "ISO 8601 date-time: the first page also lists, under 'deleted', the ids deleted at or "
                        "after it (combine with updated_since= to mirror the list)."
                    )
                ),
                "schema": {"type": "string", "format": "date-time"},
            },
        ]


class DeletedSinceMixin:
    """Add to a list viewset (before the other mixins) for ``?deleted_since=``."""

    pagination_class = DeletionsPagination

    def list(self, request, *args, **kwargs):
        since = self._deleted_since(request)
        response = super().list(request, *args, **kwargs)
        if since is not None and isinstance(getattr(response, "data", None), dict) and self._first_page(request):
            deleted, truncated = deleted_since(self.get_queryset().model, since)
            as_time = serializers.DateTimeField().to_representation  # as the rows' times: the site's zone
            response.data["deleted"] = [{"id": row["id"], "deleted_at": as_time(row["deleted_at"])} for row in deleted]
            response.data["deleted_truncated"] = truncated
        return response

    @staticmethod
    def _deleted_since(request):
        value = request.query_params.get(PARAMETER)
        if value is None:
            return None
        try:
            return BoundedIsoDateTimeField(required=True).clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError({PARAMETER: error.messages}) from error

    @staticmethod
    def _first_page(request) -> bool:
        return request.query_params.get("cursor", "") == "" and request.query_params.get("page", "1") in ("1", "")
