"""``Authorization: Bearer <token>`` for machine clients."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from pinghu.services import api_token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates a request carrying a usable API token; revoked, expired or unknown tokens get 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: use 'Bearer <token>'."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("The token contains invalid characters.")) from error
        token = api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, revoked or expired."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to unauthenticated requests.
        return f'{self.keyword} realm="api"'
