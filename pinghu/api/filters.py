"""Filter backends shared by every API list: unknown parameters refused, stable ordering, unused filters skipped."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.filters import OrderingFilter
from rest_framework.settings import api_settings


class StableOrderingFilter(OrderingFilter):
    """``?ordering=`` refusing unknown fields, with the primary key appended so equal values never shuffle rows."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            requested = [term.strip() for term in params.split(",") if term.strip()]
            valid = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [term for term in requested if term.lstrip("-") not in valid]
            if unknown:
                raise serializers.ValidationError(
                    {self.ordering_param: [_("Cannot order by %(fields)s.") % {"fields": ", ".join(unknown)}]}
                )
        ordering = list(
            super().get_ordering(request, queryset, view) or queryset.query.order_by or queryset.model._meta.ordering
        )
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering.append("-pk" if ordering and ordering[0].startswith("-") else "pk")
        return ordering


def _filter_parameters(filterset_class) -> set[str]:
    """The query parameters a FilterSet reads: each filter's name, or its suffixed names (a range's ``_after``…)."""
    names = set()
    for name, filter_ in filterset_class.base_filters.items():
        suffixes = getattr(filter_.field_class.widget, "suffixes", None)
        names.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes) if suffixes else names.add(name)
    return names


_ALLOWED: dict[type, frozenset[str]] = {}


def allowed_list_parameters(view, filterset_class) -> frozenset[str]:
    """Every query parameter a list view reads, derived from what reads them (once per view class).

    The FilterSet's filters, what the other filter backends (search, ordering) and the paginator
    document, DRF's ``format``, and any parameter the view declares in ``extra_query_parameters``.
    """
    key = type(view)
    if key not in _ALLOWED:
        names = {api_settings.URL_FORMAT_OVERRIDE, *getattr(view, "extra_query_parameters", ())}
        if filterset_class is not None:
            names |= _filter_parameters(filterset_class)
        documenting = [backend() for backend in view.filter_backends if not issubclass(backend, DjangoFilterBackend)]
        if getattr(view, "paginator", None) is not None:
            documenting.append(view.paginator)
        for source in documenting:
            if hasattr(source, "get_schema_operation_parameters"):
                names |= {parameter["name"] for parameter in source.get_schema_operation_parameters(view)}
        _ALLOWED[key] = frozenset(names)
    return _ALLOWED[key]


class FilterBackend(DjangoFilterBackend):
    """django-filter for every list: a parameter no one reads is refused (400 naming it), never ignored.

    ``?cluster=it`` on a list that has no ``cluster`` filter would otherwise answer every row as if it
    were filtered. The FilterSet itself is skipped when the request names none of its parameters:
    building and validating one costs a few milliseconds per request, and an unfiltered list (the most
    common request, and every page of a full synchronisation) has nothing to filter.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if getattr(view, "action", "list") == "list":
            self.refuse_unknown_parameters(request, view, filterset_class)
        if filterset_class is None or not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)

    @staticmethod
    def refuse_unknown_parameters(request, view, filterset_class) -> None:
        allowed = allowed_list_parameters(view, filterset_class)
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            accepted = ", ".join(sorted(allowed))
            raise serializers.ValidationError(
                {
                    name: [
                        _("Unknown query parameter %(name)s; this list takes %(accepted)s.")
                        % {"name": name, "accepted": accepted}
                    ]
                    for name in unknown
                },
                code="unknown_parameter",
            )
