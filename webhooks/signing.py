"""The signature of a delivery: HMAC-SHA256 with the subscription's secret over ``timestamp + "." + body``.

A receiver recomputes it from the ``X-Pinghu-Timestamp`` header and the raw body it received, compares
it in constant time with ``X-Pinghu-Signature`` (``sha256=<hex>``), and refuses a timestamp too far from
its own clock (a replayed request); docs/webhooks.md has a ten-line receiver.
"""

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SIGNATURE_HEADER = "X-Pinghu-Signature"
TIMESTAMP_HEADER = "X-Pinghu-Timestamp"
EVENT_ID_HEADER = "X-Pinghu-Event-Id"
EVENT_TYPE_HEADER = "X-Pinghu-Event-Type"
USER_AGENT = "Pinghu-Webhooks/1"
# What a receiver should accept between the timestamp and its own clock (documented; checked by verify()).
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of the HMAC-SHA256 of ``timestamp + "." + body`` with ``secret``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signed_headers(*, secret: str, timestamp: str, body: bytes, event_id: str, event_type: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
    }


def verify(secret: str, timestamp: str, body: bytes, header: str, *, now: float, tolerance=TOLERANCE_SECONDS) -> bool:
    """What a receiver checks: the signature matches and the timestamp is within ``tolerance`` of ``now``."""
    try:
        fresh = abs(now - int(timestamp)) <= tolerance
    except ValueError:
        return False
    return fresh and hmac.compare_digest(signature(secret, timestamp, body), header)
