"""Serializers of ``/api/v1/webhooks/``: subscriptions (the secret only in the creating answer) and deliveries."""

from django.core.validators import URLValidator
from rest_framework import serializers

from pinghu.api.serializers import StrictFieldsMixin

from ..choices import EVENT_CHOICES
from ..models import Delivery, Subscription
from ..services import subscription_create, subscription_update


class SubscriptionSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = serializers.CharField(max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    events = serializers.MultipleChoiceField(choices=EVENT_CHOICES, allow_empty=False)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "url",
            "events",
            "description",
            "is_active",
            "failing_since",
            "disabled_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["failing_since", "disabled_at", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["events"] = [name for name, _label in EVENT_CHOICES if name in instance.events]
        return data

    def create(self, validated_data):
        subscription, secret = subscription_create(owner=self.context["request"].user, **validated_data)
        subscription.new_secret = secret
        return subscription

    def update(self, instance, validated_data):
        return subscription_update(
            subscription=instance, data=validated_data, expected_version=self.context.get("expected_version")
        )


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    """The answer to a creation: the subscription and its secret, which is never shown again."""

    secret = serializers.SerializerMethodField()

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]

    def get_secret(self, obj) -> str:
        return getattr(obj, "new_secret", "")


class DeliverySerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="event_type", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "subscription",
            "event_id",
            "type",
            "occurred_at",
            "resource",
            "object_id",
            "status",
            "attempts",
            "response_code",
            "duration_ms",
            "last_error",
            "last_attempt_at",
            "next_attempt_at",
            "give_up_at",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields


class DeliveryDetailSerializer(DeliverySerializer):
    """One delivery with what it sends."""

    class Meta(DeliverySerializer.Meta):
        fields = [*DeliverySerializer.Meta.fields, "payload", "details"]
        read_only_fields = fields
