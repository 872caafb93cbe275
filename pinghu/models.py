"""Models shared by every app: the timestamped base model, API tokens, idempotency keys and the data version."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .check_constraints import validate_constraints
from .choices import TokenScope


def amount_field(verbose_name, *, null: bool = True, help_text="") -> models.DecimalField:
    """A figure ≥ 0 with two decimals (万元, 万美元 or 亩, as its label says); optional unless ``null=False``."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=null,
        blank=null,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
    )


class TimeStampedModel(models.Model):
    """Adds ``created_at`` and ``updated_at`` to every domain model."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        # Every check constraint in one query rather than one each (pinghu.check_constraints says why).
        validate_constraints(self, exclude=exclude)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        """Tokens that are neither revoked nor expired, of active users.

        ``pinghu.token_read`` writes the same conditions in its one statement of an API request: change both
        (``tests/pinghu/test_token_read.py`` compares them on every kind of token).
        """
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(TimeStampedModel):
    """A machine client's bearer token. Only a SHA-256 hash of the key is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=16, editable=False, help_text=_("The key's first characters."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        # Site-wide capabilities: a Django permission hangs on a model, and this is the platform's own.
        permissions = [
            ("export_data", _("Can export lists as CSV or Excel")),
            ("import_data", _("Can import data from Excel or CSV files")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=TokenScope.values),
                name="pinghu_apitoken_scope_valid",
                violation_error_message=_("Scope must be read or write."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` for one create request, with the response it got.

    A retry with the same key (a phone on a bad connection) gets the stored response instead of
    creating a second row. Keys are per user and per kind of request.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    scope = models.CharField(_("request"), max_length=100)
    key = models.CharField(_("idempotency key"), max_length=255)
    request_hash = models.CharField(_("request fingerprint"), max_length=64)
    # Empty while the first request is being processed (its transaction holds the row).
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True)
    response = models.JSONField(_("response body"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="pinghu_idempotencykey_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} · {self.key}"


class DataVersion(models.Model):
    """One slot of the data version (``pinghu.dataversion``): database triggers move it with every write.

    Written only by the triggers the apps declare; read by pages that cache figures.
    """

    slot = models.BigIntegerField(_("slot"), primary_key=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.slot}:{self.version}"


class Tombstone(models.Model):
    """A record that an object was deleted: its model and id, and when (``pinghu.tombstones``).

    Written by a ``post_delete`` receiver for the models an app tracks, so a deletion by any ORM path
    (a service, the admin, a cascade) leaves one; read by the lists' ``?deleted_since=``.
    """

    model = models.CharField(_("model"), max_length=100, help_text=_("app_label.model_name"))
    object_id = models.BigIntegerField(_("object id"))
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)

    class Meta:
        verbose_name = _("deletion record")
        verbose_name_plural = _("deletion records")
        indexes = [models.Index(fields=["model", "deleted_at"], name="pinghu_tombstone_since")]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"
