"""Serializers of units; writes go through ``units.services``."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from pinghu.api.serializers import StrictFieldsMixin

from ..models import Unit
from ..services import unit_create, unit_update


class UnitSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A unit: name, kind, parent, active, and its members (user names)."""

    parent = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, help_text=_("The parent unit's id.")
    )
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    members = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        required=False,
        queryset=get_user_model().objects.all(),
        help_text=_("The user names of the accounts that act for the unit."),
    )
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "parent",
            "parent_name",
            "is_active",
            "members",
            "member_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # the name's uniqueness (as compared) is the model's, checked by the service

    def create(self, validated_data):
        members = validated_data.pop("members", None)
        return unit_create(data=validated_data, members=members, by=self.context["request"].user)

    def update(self, instance, validated_data):
        members = validated_data.pop("members", None)
        return unit_update(
            unit=instance,
            data=validated_data,
            members=members,
            expected_version=self.context.get("expected_version"),
            by=self.context["request"].user,
        )
