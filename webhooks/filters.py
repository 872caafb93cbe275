"""The webhooks' filters (API): the search; the delivery log also by subscription, status, event type and id."""

import django_filters
from django.utils.translation import gettext_lazy as _

from pinghu.filters import StrictFilterSet
from pinghu.search import SearchFilter

from .choices import EVENT_CHOICES, DeliveryStatus
from .models import Delivery, Subscription


class DeliveryFilterSet(StrictFilterSet):
    q = SearchFilter()
    # By id, not a choice of every subscription: a consumer's list reads only its own anyway. Bounded: a
    # number no database integer holds is a 400, not a 500.
    subscription = django_filters.NumberFilter(
        field_name="subscription_id", label=_("subscription (id)"), min_value=1, max_value=2**63 - 1
    )
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices, label=_("status"))
    type = django_filters.ChoiceFilter(field_name="event_type", choices=EVENT_CHOICES, label=_("event type"))
    event_id = django_filters.UUIDFilter(label=_("event id"))

    class Meta:
        model = Delivery
        fields = ["q", "subscription", "status", "type", "event_id"]


class SubscriptionFilterSet(StrictFilterSet):
    q = SearchFilter()

    class Meta:
        model = Subscription
        fields = ["q"]
