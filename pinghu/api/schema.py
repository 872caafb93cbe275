"""drf-spectacular extensions: the bearer-token scheme and the error responses every operation documents."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "pinghu.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "API token from `manage.py issue_api_token`."}


class ApiAutoSchema(AutoSchema):
    """Documents the errors every operation can answer, so clients (and schemathesis) know them all.

    401 everywhere but the public schema; 400 for lists (bad filters) and writes; 403 for writes;
    404 for anything addressed by id.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = OpenApiResponse(response=OpenApiTypes.OBJECT)
        codes = {"401": _("Not authenticated: missing, unknown, revoked or expired token.")}
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes["400"] = _("Invalid input: field-level messages.")
            codes["403"] = _("Not allowed: read-only token or missing permission.")
        if self._is_list_view() or self.method == "GET":
            codes.setdefault("400", _("Invalid query parameter: a message per parameter."))
        if "{id}" in self.path:
            codes["404"] = _("Not found.")
        if self._is_list_view():
            codes["404"] = _("No such page or cursor.")
        for code, description in codes.items():
            if code not in responses:
                responses[code] = {
                    **self._get_response_for_code(error, code, direction=direction),
                    "description": str(description),
                }
        return responses
