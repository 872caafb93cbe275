"""API rate limits: one budget per bearer token, and one per user for the browser session.

Read-only tokens get a budget of their own, much larger: a BI tool pulling a year of projects
with their stage histories by cursor makes thousands of cheap reads, and cannot write.
"""

import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from pinghu.models import ApiToken


class TokenOrUserRateThrottle(SimpleRateThrottle):
    """``PINGHU_API_RATE`` requests (default 2000 an hour) per write token, or per user without a token.

    Counts live in the default cache: a memory cache per worker process unless ``PINGHU_CACHE_URL``
    names a shared one (pinghu.settings_db). Per process, the limit guards against a runaway client
    at no cost per request, but with N workers (on all hosts) a client may make up to N times the
    rate; with Redis it is the site's limit (docs/deploy.md, "Caches and the API rate limits").
    Anonymous requests are refused before they are counted (every endpoint needs a login). Login
    lockout, which is about security rather than load, is counted in the database (django-axes).
    """

    scope = "token_or_user"
    rate_setting = "PINGHU_API_RATE"

    def get_rate(self) -> str:
        # Read when the throttle is made (once per request), so a changed setting applies at once.
        return getattr(settings, self.rate_setting)

    def applies(self, request) -> bool:
        return not (isinstance(request.auth, ApiToken) and not request.auth.can_write)

    def get_cache_key(self, request, view) -> str | None:
        if not self.applies(request):
            return None
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        if request.user and request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": f"user-{request.user.pk}"}
        return None

    def wait(self) -> int:
        """Whole seconds until the next request is allowed, never less than 1: every 429 says when to retry."""
        remaining = self.duration - (self.now - self.history[-1]) if self.history else self.duration
        return max(1, math.ceil(remaining))


class ReadTokenRateThrottle(TokenOrUserRateThrottle):
    """``PINGHU_API_READ_RATE`` requests (default 20,000 an hour) per read-only token."""

    scope = "read_token"
    rate_setting = "PINGHU_API_READ_RATE"

    def applies(self, request) -> bool:
        return isinstance(request.auth, ApiToken) and not request.auth.can_write
