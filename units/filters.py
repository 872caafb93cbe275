"""FilterSets of units, shared by the API and the pages, and the unit filter the other apps' FilterSets use."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pinghu.filters import StrictBooleanFilter, StrictFilterSet
from pinghu.search import Query, SearchFilter, search_condition

from .choices import UnitKind
from .models import Unit


def unit_filter(field_name: str, label) -> django_filters.ModelChoiceFilter:
    """A filter by a unit's id (``?host_unit=3``)."""
    return django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), field_name=field_name, label=label)


class UnitFilterSet(StrictFilterSet):
    """Filters of ``/api/v1/units/`` and the units page: name (part of it), kind, parent, active, member."""

    # The page's labels (pinghu.filter_ui); the API describes the parameters with the labels above.
    ui_labels = {
        "parent": _("parent unit"),
    }

    q = SearchFilter(method="by_text")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("kind"))
    parent = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("parent unit (id)"))
    is_active = StrictBooleanFilter(field_name="is_active", label=_("active"))
    member = django_filters.NumberFilter(field_name="members", label=_("member (user id)"), distinct=True)

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent", "is_active", "member"]

    def by_text(self, queryset, name, value: str):
        query = Query.parse(value)
        if not query:
            return queryset
        # The search (name, pinyin, initials), and the name as compared (spaces and full width ignored).
        return queryset.filter(search_condition(Unit, query) | Q(key__icontains=query.raw.replace(" ", "")))
