"""A subscription (a URL, the events it wants, the secret that signs them) and each delivery of an event to it.

The secret is stored as it is: signing needs it in the clear, so a hash cannot serve, and encrypting it
with a key kept beside it (the settings' ``SECRET_KEY``) would protect it only from someone holding a
database dump without the settings, who already holds every row the webhooks carry. It is shown once,
in the answer that creates the subscription, and never again (the admin and the API show a prefix).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel
from pinghu.search import SearchSpec

from .choices import EVENT_CHOICES, DeliveryStatus


class Subscription(TimeStampedModel):
    """An API consumer's wish to be told of some events at a URL, signed with its own secret."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("owner"),
    )
    url = models.URLField(
        _("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])], help_text=_("http or https.")
    )
    events = models.JSONField(_("events"), default=list, help_text=_("The event types delivered."))
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("secret"), max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    failing_since = models.DateTimeField(
        _("failing since"), null=True, blank=True, editable=False, help_text=_("The first failure since a success.")
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["secret"],
        verbose_name=_("subscription version"),
        verbose_name_plural=_("subscription versions"),
    )
    search_spec = SearchSpec(text=("description", "url"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url

    @property
    def secret_hint(self) -> str:
        return f"{self.secret[:10]}…"


class Delivery(models.Model):
    """One event for one subscription: what is sent, and how its attempts went (the delivery log)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    event_id = models.UUIDField(_("event id"), help_text=_("The receiver's key for recognising a repeat."))
    event_type = models.CharField(_("event type"), max_length=40, choices=EVENT_CHOICES)
    occurred_at = models.DateTimeField(_("occurred at"))
    resource = models.CharField(_("resource"), max_length=60, help_text=_("The API resource of the object."))
    object_id = models.CharField(_("object id"), max_length=64)
    payload = models.JSONField(_("payload"), help_text=_("The object as the API showed it then."))
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    give_up_at = models.DateTimeField(_("retried until"))
    locked_until = models.DateTimeField(
        _("claimed until"), null=True, blank=True, help_text=_("A worker is sending it (till then).")
    )
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    search_spec = SearchSpec(text=("event_type", "resource", "object_id", "last_error"), related=("subscription",))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhooks_delivery_once_per_event"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SUCCEEDED) | Q(delivered_at__isnull=False),
                name="webhooks_delivery_delivered_at",
                violation_error_message=_("A delivered delivery has its delivery time."),
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.subscription_id}"
