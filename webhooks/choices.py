"""Choices of webhooks: the events a subscription may choose, and where a delivery stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pinghu import events

EVENT_CHOICES = [
    (events.PROJECT_CREATED, _("project created")),
    (events.PROJECT_UPDATED, _("project updated")),
    (events.PROJECT_STAGE_CHANGED, _("project stage changed")),
    (events.VISIT_CREATED, _("visit created")),
    (events.VISIT_UPDATED, _("visit updated")),
    (events.VISIT_DELETED, _("visit deleted")),
    (events.ISSUE_STATUS_CHANGED, _("problem status changed")),
    (events.REPORT_SENT, _("report sent")),
    (events.TARGET_UPDATED, _("target set or updated")),
]


class DeliveryStatus(models.TextChoices):
    """Pending (not yet delivered; retried until its deadline), delivered, or given up."""

    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("delivered")
    FAILED = "failed", _("failed")
