"""drf-spectacular extensions: the bearer-token scheme, and every error status an operation can answer.

The statuses are documented here, once, for every operation (clients and schemathesis's
status-code conformance check rely on them), each with the one error shape the API answers with.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ERROR_DESCRIPTION = _(
    "An error: `detail` (a message) for the request as a whole, or one entry per field or query "
    "parameter, each a list of messages (nested like the body for nested fields)."
)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "pinghu.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "API token from `manage.py issue_api_token`."}


class ApiAutoSchema(AutoSchema):
    """Documents the errors every operation can answer, each with the ``Error`` shape.

    Every operation: 401 (no valid token or session), 403 (the role, a read-only token, CSRF),
    404 (no such record, page or cursor, or an unknown ``?format=``), 429 (throttled, with
    ``Retry-After``). Lists, reads with query parameters and writes: 400. Writes: 415 (a body that
    is not JSON). An ``If-Match`` header: 412 (stale), and 428 when it is required. An
    ``Idempotency-Key`` header: 422 (the key reused for another body). A view may describe any of
    them more precisely; the shape is always added.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        headers = {
            parameter.name: parameter for parameter in self._override_parameters() if parameter.location == "header"
        }
        codes = {
            "401": _("Not authenticated: missing, unknown, revoked or expired token."),
            "403": _("Not allowed: read-only token, missing permission or (with a session) a missing CSRF token."),
            "404": _("Not found: no such record, page or cursor, or an unknown format."),
            "429": _("Too many requests: the token's or user's rate limit; retry after Retry-After seconds."),
        }
        if self.method in WRITE_METHODS:
            codes["400"] = _("Invalid input: field-level messages.")
            codes["415"] = _("Unsupported media type: send the body as application/json.")
        else:
            codes["400"] = _("Invalid query parameter: a message per parameter, unknown parameters included.")
        if "If-Match" in headers:
            codes["412"] = _("Stale: the record changed since the ETag was read.")
            if headers["If-Match"].required:
                codes["428"] = _("If-Match header missing.")
        if "Idempotency-Key" in headers:
            codes["422"] = _("The Idempotency-Key was already used for a different request.")
        error = self._error_component()
        for code, description in codes.items():
            responses.setdefault(code, {"description": str(description)})
        for code, response in responses.items():
            if str(code) >= "400":
                response.setdefault("content", {"application/json": {"schema": error.ref}})
                if str(code) == "429":
                    response.setdefault(
                        "headers",
                        {
                            "Retry-After": {
                                "schema": {"type": "integer", "minimum": 1},
                                "description": str(_("Seconds to wait.")),
                            }
                        },
                    )
        return dict(sorted(responses.items()))

    def _override_parameters(self) -> list:
        return [parameter for parameter in self.get_override_parameters() if hasattr(parameter, "location")]

    def _error_component(self) -> ResolvedComponent:
        schema = {
            "type": "object",
            "description": str(ERROR_DESCRIPTION),
            "properties": {"detail": {"type": "string"}},
            "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}, {"type": "string"}]},
        }
        component = ResolvedComponent(name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=schema)
        self.registry.register_on_missing(component)
        return component
