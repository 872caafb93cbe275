"""Filter backends shared by every API list."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.filters import OrderingFilter


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


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the FilterSet's parameters.

    Building and validating a FilterSet costs a few milliseconds per request; an unfiltered list
    (the most common request, and every page of a full synchronisation) has nothing to filter.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)
