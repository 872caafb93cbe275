"""API rate limits: one budget per bearer token, and one per user for the browser session."""

from rest_framework.throttling import SimpleRateThrottle

from pinghu.models import ApiToken


class TokenOrUserRateThrottle(SimpleRateThrottle):
    """``PINGHU_API_RATE`` requests (default 2000 an hour) per token, or per user without a token.

    Counts live in each worker process's memory cache: the limit guards against a runaway client
    at no cost per request (a shared database cache would add three queries to every call), and
    with N workers a client may make up to N times the rate. Anonymous requests are refused
    before they are counted (every endpoint needs a login). Login lockout, which is about
    security rather than load, is counted in the database (django-axes).
    """

    scope = "token_or_user"

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        if request.user and request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": f"user-{request.user.pk}"}
        return None
