"""The inbox's FilterSet, shared by the API and the inbox page: read or unread, and the kind."""

import django_filters
from django.utils.translation import gettext_lazy as _

from pinghu.search import SearchFilter

from .choices import ReadState
from .models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    q = SearchFilter()
    state = django_filters.ChoiceFilter(choices=ReadState.choices, method="filter_state", label=_("state"))
    kind = django_filters.CharFilter(label=_("kind"))

    class Meta:
        model = Notification
        fields = ["q", "state", "kind"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == ReadState.UNREAD)
