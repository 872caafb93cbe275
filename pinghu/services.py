"""API token issue, check and revocation, of one token or of all a user's (the one place tokens are made
and read); idempotency-key upkeep; ``model_update``, the core the apps' ``<entity>_update`` services share.
"""

import datetime
import hashlib
import secrets
from collections.abc import Collection, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .choices import TokenScope
from .concurrency import lock_for_update
from .models import ApiToken, IdempotencyKey
from .token_read import usable_token_with_permissions

TOKEN_PREFIX = "ph_"
# Writing last_used_at on every request would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, user: AbstractBaseUser, scope: str = TokenScope.READ, expires_in_days: int | None = None, name: str = ""
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it and the key, which is not stored and cannot be shown again."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(user=user, name=name, prefix=key[:10], key_hash=_hash(key), scope=scope, expires_at=expires_at)
    token.full_clean()
    token.save()
    return token, key


def api_token_authenticate(key: str) -> ApiToken | None:
    """The usable token with this key (recording its use), or ``None``.

    Its user comes with their permissions for this request, read in the same statement
    (``pinghu.token_read``): the permission check that follows reads nothing more.
    """
    now = timezone.now()
    token = usable_token_with_permissions(_hash(key), now=now)
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(token: ApiToken) -> None:
    """Revoke a token for good (it stays listed, with the time it was revoked)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])


def api_tokens_revoke_for_user(*, user: AbstractBaseUser) -> int:
    """Revoke every usable token of ``user`` (their password changed); returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )


# A phone retries within minutes or hours; a week covers any retry a client could still make.
IDEMPOTENCY_KEY_DAYS = 7


def idempotency_keys_purge(*, older_than_days: int = IDEMPOTENCY_KEY_DAYS) -> int:
    """Delete stored ``Idempotency-Key`` responses older than ``older_than_days`` days; returns how many.

    A retry after that creates a new row instead of replaying; clients retry far sooner.
    """
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def model_update(
    model: type[models.Model],
    pk: int,
    *,
    data: Mapping[str, Any],
    expected_version: str | None,
    step_fields: Collection[str] = (),
    step_message: str = "",
    validate_with: Mapping[str, Any] | None = None,
) -> models.Model:
    """Change the fields ``data`` names on row ``pk`` of ``model``, unless it is stale or names a step's field.

    The core of the apps' update services: the row is locked and checked against
    ``expected_version`` (``lock_for_update``); a field in ``step_fields`` (one only a workflow step
    writes) is refused with ``step_message``; the row is validated and only the fields given (and
    the update time) are written, so what another step wrote meanwhile is never overwritten.
    ``validate_with`` sets attributes that only validation reads (``large_amounts_confirmed``), not saved.
    Many-to-many links are the caller's to set.
    """
    instance = lock_for_update(model, pk, expected_version)
    refused = [name for name in data if name in step_fields]
    if refused:
        raise ValidationError({name: ValidationError(step_message, code="step_field") for name in refused})
    for name, value in data.items():
        setattr(instance, name, value)
    for name, value in (validate_with or {}).items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save(update_fields=[*data, "updated_at"])
    return instance
