"""The inbox and what carries it outward: notifications, channels, daily digests and deliveries.

A notification is one message to one person, in their in-app inbox, linking to what it is about.
``key`` makes writing idempotent: the same reminder or event for the same person is one row however
often it is written (a scan run twice, a task retried after its worker died). Kept
``PINGHU_NOTIFICATION_RETENTION_DAYS`` (180) days.

A channel (e-mail, a DingTalk, 浙政钉, WeCom or Feishu group robot) belongs to a person or to a unit;
its apprise URL is stored encrypted (``notifications.secrets``) and shown masked. A notification marked
urgent goes out at once; the others are gathered into one digest per person (and per unit) a day. A
delivery is one message (an urgent notification or a digest) on one channel, written in the same
transaction as what it carries and sent by a task; it is unique per (message, channel), so a task
retried or run twice sends it once, and its id travels with the message.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel
from pinghu.search import SearchSpec
from units.models import Unit

from . import clock
from .choices import ChannelKind, DeliveryStatus

ONE_OWNER = Q(owner__isnull=False, unit__isnull=True) | Q(owner__isnull=True, unit__isnull=False)


class Notification(models.Model):
    """One message in one person's inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40, help_text=_("What rule or event wrote it, e.g. followup_due."))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True, help_text=_("The page of what it is about."))
    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    key = models.CharField(
        _("key"), max_length=200, blank=True, help_text=_("The same key for the same person is written once.")
    )
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Sent to the channels at once rather than in the daily digest.")
    )
    digest = models.ForeignKey(
        "Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications", editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    search_spec = SearchSpec(text=("title", "body"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notifications_notification_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notifications_unread")]

    def __str__(self) -> str:
        return self.title


class UnitMessage(models.Model):
    """What was addressed to a unit, kept for the unit's own channels (group robots): one per message, not per member.

    Written only when the unit has a channel to carry it; its members' inboxes get their notifications as usual.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=200, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    digest = models.ForeignKey(
        "Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="unit_messages", editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to a unit")
        verbose_name_plural = _("messages to units")
        constraints = [
            models.UniqueConstraint(fields=["unit", "key"], condition=~Q(key=""), name="notifications_unitmessage_key"),
        ]

    def __str__(self) -> str:
        return self.title


class Channel(TimeStampedModel):
    """A way out for one person's or one unit's messages (several allowed; the in-app inbox is always on)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_channels",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="channels", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. 招商局工作群."))
    url_encrypted = models.TextField(_("address (encrypted)"), editable=False)
    url_masked = models.CharField(_("address"), max_length=200, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True, editable=False)
    paused_at = models.DateTimeField(
        _("paused at"),
        null=True,
        blank=True,
        help_text=_("Set when the channel kept failing; resume it to send again."),
    )
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["url_encrypted"],
        verbose_name=_("channel version"),
        verbose_name_plural=_("channel versions"),
    )

    class Meta:
        ordering = ["unit__name", "owner__username", "kind", "pk"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        constraints = [
            models.CheckConstraint(
                condition=ONE_OWNER,
                name="notifications_channel_one_owner",
                violation_error_message=_("A channel belongs to a person or to a unit, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} {self.url_masked}"

    @property
    def active(self) -> bool:
        return self.enabled and self.paused_at is None


class Digest(models.Model):
    """One person's (or one unit's) non-urgent messages of a day, gathered into one message."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_digests",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    lines = models.PositiveIntegerField(_("lines"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], condition=Q(unit__isnull=True), name="notifications_digest_person_day"
            ),
            models.UniqueConstraint(
                fields=["unit", "day"], condition=Q(recipient__isnull=True), name="notifications_digest_unit_day"
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, unit__isnull=True) | Q(recipient__isnull=True, unit__isnull=False),
                name="notifications_digest_one_addressee",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One message (an urgent notification or unit message, or a digest) on one channel; its id goes out with it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("channel"))
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    unit_message = models.ForeignKey(
        UnitMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=Q(notification__isnull=False),
                name="notifications_delivery_once_per_notification",
            ),
            models.UniqueConstraint(
                fields=["unit_message", "channel"],
                condition=Q(unit_message__isnull=False),
                name="notifications_delivery_once_per_unit_message",
            ),
            models.UniqueConstraint(
                fields=["digest", "channel"],
                condition=Q(digest__isnull=False),
                name="notifications_delivery_once_per_digest",
            ),
            models.CheckConstraint(
                condition=Q(notification__isnull=False, unit_message__isnull=True, digest__isnull=True)
                | Q(notification__isnull=True, unit_message__isnull=False, digest__isnull=True)
                | Q(notification__isnull=True, unit_message__isnull=True, digest__isnull=False),
                name="notifications_delivery_one_message",
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class Preference(models.Model):
    """A person's quiet hours (no message leaves during them; the in-app inbox fills all the same)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
