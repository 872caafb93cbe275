"""``/api/v1/webhooks/``: a token's owner manages their own subscriptions and reads their own delivery log.

Any signed-in API user may subscribe, with a read-only token too: a subscription changes nothing but
what its owner is sent, and each delivery carries only what the owner may read through the API.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH
from pinghu.api.viewsets import ERRORS, READ_ERRORS, WriteViewSet

from ..filters import DeliveryFilterSet, SubscriptionFilterSet
from ..models import Delivery, Subscription
from ..services import delivery_redeliver, subscription_delete
from .serializers import (
    DeliveryDetailSerializer,
    DeliverySerializer,
    SubscriptionCreatedSerializer,
    SubscriptionSerializer,
)


class OwnWebhooks(permissions.IsAuthenticated):
    """Signed in (a token of any scope, or a session); the views show each user only their own rows."""


@extend_schema_view(
    list=extend_schema(
        summary=_("List your webhook subscriptions"), responses={200: SubscriptionSerializer(many=True), **READ_ERRORS}
    ),
    retrieve=extend_schema(summary=_("One of your webhook subscriptions")),
    create=extend_schema(
        summary=_("Subscribe a URL to events (the answer shows the signing secret, once)"),
        responses={201: SubscriptionCreatedSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary=_("Replace a subscription's URL, events, description or active flag"),
        parameters=[IF_MATCH],
        responses={200: SubscriptionSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change some of a subscription's fields (activate it again, say)"),
        parameters=[IF_MATCH],
        responses={200: SubscriptionSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    destroy=extend_schema(summary=_("Delete a subscription and its delivery log")),
)
class SubscriptionViewSet(mixins.DestroyModelMixin, WriteViewSet):
    serializer_class = SubscriptionSerializer
    permission_classes = [OwnWebhooks]
    filterset_class = SubscriptionFilterSet
    ordering = ["id"]
    ordering_fields = ["id", "created_at", "updated_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Subscription.objects.none()
        return Subscription.objects.filter(owner=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = serializer.save()
        body = SubscriptionCreatedSerializer(subscription, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        subscription_delete(instance)


@extend_schema_view(
    list=extend_schema(
        summary=_("Your webhook deliveries (the delivery log), newest first"),
        responses={200: DeliverySerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(summary=_("One delivery with what it sends"), responses={200: DeliveryDetailSerializer}),
)
class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [OwnWebhooks]
    filterset_class = DeliveryFilterSet
    ordering = ["-created_at", "-id"]
    ordering_fields = ["created_at", "next_attempt_at", "delivered_at"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        return Delivery.objects.filter(subscription__owner=self.request.user)

    def get_serializer_class(self):
        return DeliverySerializer if self.action == "list" else DeliveryDetailSerializer

    @extend_schema(
        summary=_("Deliver again: the same event id, retried for another 24 hours"),
        request=None,
        responses={
            202: DeliveryDetailSerializer,
            **ERRORS,
            404: OpenApiResponse(description=_("No such delivery of yours.")),
        },
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        with transaction.atomic():
            delivery = delivery_redeliver(self.get_object())
        return Response(DeliveryDetailSerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
