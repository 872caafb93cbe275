"""Request guards that apply to the whole site."""

from django.http import JsonResponse
from django.utils.translation import gettext as _


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
