"""Reading the inbox and the channels: always a user's own rows (and, for bureau staff, the units')."""

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from pinghu.permissions import may

from .models import Channel, Notification


def inbox(user) -> QuerySet[Notification]:
    """``user``'s notifications, unread first, then newest first."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("content_type")
        .annotate(
            unread=Case(When(read_at__isnull=True, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .order_by("-unread", "-created_at", "-pk")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def manages_unit_channels(user) -> bool:
    return may(user, "notifications.change_channel")


def channels_for(user) -> QuerySet[Channel]:
    """The channels ``user`` may manage: their own, and every unit's for bureau staff."""
    mine = Q(owner=user)
    if manages_unit_channels(user):
        mine |= Q(unit__isnull=False)
    return Channel.objects.filter(mine).select_related("owner", "unit")


def may_manage_channel(user, channel: Channel) -> bool:
    if channel.owner_id is not None:
        return channel.owner_id == user.pk
    return manages_unit_channels(user)
