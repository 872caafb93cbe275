"""The kinds of channel and the states of a delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    """Where a channel carries messages; each is an apprise URL scheme (``notifications.sending``)."""

    EMAIL = "email", _("E-mail")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    ZZDING = "zzding", _("浙政钉 group robot")
    WECOM = "wecom", _("WeCom group robot")
    FEISHU = "feishu", _("Feishu group robot")
    JSON = "json", _("JSON web hook")


class DeliveryStatus(models.TextChoices):
    """Where a delivery stands: waiting (perhaps for quiet hours or a retry), being sent, sent, or held."""

    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    HELD = "held", _("Held (channel paused)")
    CANCELLED = "cancelled", _("Cancelled")


class ReadState(models.TextChoices):
    """The inbox filter: unread or read notifications."""

    UNREAD = "unread", _("Unread")
    READ = "read", _("Read")
