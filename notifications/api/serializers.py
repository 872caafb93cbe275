"""How a notification reads in the API (its object as type and id, its link absolute)."""

from rest_framework import serializers

from ..delivery import absolute
from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    link = serializers.SerializerMethodField()
    object_type = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "link",
            "object_type",
            "object_id",
            "urgent",
            "read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_link(self, notification) -> str:
        return absolute(notification.link)

    def get_object_type(self, notification) -> str:
        content_type = notification.content_type
        return f"{content_type.app_label}.{content_type.model}" if content_type else ""

    def get_read(self, notification) -> bool:
        return notification.read_at is not None
