"""Channel addresses at rest: encrypted with Fernet, shown back masked, never in full.

The key is ``PINGHU_CHANNEL_KEY`` when set, otherwise derived from ``SECRET_KEY`` (SHA-256 of a
purpose string and the secret), so a deployment has a working key without one more secret to keep.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    key = settings.PINGHU_CHANNEL_KEY
    if not key:
        digest = hashlib.sha256(b"pinghu.notifications.channel:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(url: str) -> str:
    return _fernet().encrypt(url.encode()).decode()


def decrypt(token: str) -> str:
    """The address, or "" when it cannot be read (the key changed): the channel then fails and is paused."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def mask(url: str) -> str:
    """``scheme://`` and the first and last few characters: enough to recognise, not to use."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    shown = rest[:4] + "…" + rest[-2:] if len(rest) > 8 else "…"
    return f"{scheme}://{shown}" if scheme else shown
