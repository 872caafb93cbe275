"""Page-number pagination by default; cursor pagination for full synchronisation."""

from django.core.paginator import Paginator as DjangoPaginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination, PageNumberPagination


class _Paginator(DjangoPaginator):
    """Counts ``count_source`` when given: the filtered rows without the joins a page needs for display."""

    def __init__(self, object_list, per_page, count_source=None):
        super().__init__(object_list, per_page)
        self.count_source = count_source

    @cached_property
    def count(self) -> int:
        return (self.count_source if self.count_source is not None else self.object_list).count()


class ApiPageNumberPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self._count_source = getattr(view, "count_source", None)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):
        return _Paginator(object_list, per_page, count_source=self._count_source)


class SyncCursorPagination(CursorPagination):
    """Ordered by id, which never changes: a consumer walking every page sees each row once.

    Rows edited during the walk keep their place; rows added meanwhile appear on later pages.
    Pull changes since a time with ``?updated_since=`` afterwards.
    """

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_cursor_message = _("Invalid cursor.")

    def get_ordering(self, request, queryset, view):
        # Never the view's ?ordering=: only an immutable, unique key guarantees no gaps or repeats.
        return (self.ordering,)


class PageOrCursorPagination:
    """``?cursor=`` (empty to start) switches a list to cursor mode; otherwise ``?page=`` / ``?page_size=``."""

    cursor_query_param = "cursor"

    def __init__(self) -> None:
        self._delegate = ApiPageNumberPagination()

    def paginate_queryset(self, queryset, request, view=None):
        if self.cursor_query_param in request.query_params:
            self._delegate = SyncCursorPagination()
        return self._delegate.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self._delegate.get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        # Documented as the page-number shape plus the cursor links, which share next/previous/results.
        page_schema = ApiPageNumberPagination().get_paginated_response_schema(schema)
        page_schema["properties"]["count"]["description"] = str(_("Total rows (absent in cursor mode)."))
        page_schema["required"] = ["results"]
        return page_schema

    def get_schema_operation_parameters(self, view):
        return [
            *ApiPageNumberPagination().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Cursor mode for full synchronisation: pass an empty value to start, then follow 'next'.")
                ),
                "schema": {"type": "string"},
            },
        ]

    def to_html(self):  # pragma: no cover - the browsable API is not enabled
        return ""
