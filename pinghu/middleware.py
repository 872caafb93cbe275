"""Request guards and response headers that apply to the whole site."""

from axes.helpers import get_cool_off
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from pinghu.api.exceptions import not_found_response


class RejectNulBytesMiddleware:
    """Answer 400 to a query string containing a NUL byte.

    PostgreSQL cannot store or compare NUL characters; a ``?search=%00`` reaching the database
    would otherwise end as a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return JsonResponse(
                    {"detail": _("The query parameter %(name)s contains a NUL character.") % {"name": repr(key)}},
                    status=400,
                )
        return self.get_response(request)


class ApiNotFoundMiddleware:
    """Answer a 404 under ``/api/`` with the API's JSON error, not an HTML page.

    A path no view matches (an id that is not a number, an unknown path) is answered by Django's
    404 page, its technical one under DEBUG (``make run``), where ``handler404`` is never called:
    a middleware sees both. A 404 a view already answered in JSON (a missing record) is left as it
    is. Listed after ``CommonMiddleware``, which still redirects ``/api/v1/projects`` to the path
    with its slash.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return not_found_response(request)
        return response


class PrivateResponsesMiddleware:
    """Keep what a signed-in user or a token reads out of every shared cache, and say when to retry a 429.

    A response to an authenticated request (a session, or a bearer token: DRF hands the token's user
    to the request) gets ``Cache-Control: private, no-store`` unless the view set ``Cache-Control``
    itself; API responses, and any response to a request carrying ``Authorization``, vary on that
    header. Static files never get here (whitenoise answers them first, with its own caching). A 429
    without ``Retry-After`` (the login lockout's) gets the lockout's cool-off time.
    """

    NO_STORE = "private, no-store"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                response["Cache-Control"] = self.NO_STORE
        if "Authorization" in request.headers or request.path.startswith("/api/"):
            patch_vary_headers(response, ["Authorization"])
        if response.status_code == 429 and not response.has_header("Retry-After"):
            cool_off = get_cool_off(request)
            response["Retry-After"] = str(max(1, int(cool_off.total_seconds())) if cool_off else 60)
        return response
