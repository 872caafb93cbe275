"""The client's address behind ``DJANGO_PROXY_COUNT`` proxies, for the login lockout (django-axes).

Each proxy in front of the app (nginx with ``proxy_add_x_forwarded_for``) appends the address it
received the request from to ``X-Forwarded-For``; REMOTE_ADDR is then the last proxy. With N
proxies the client is the N-th address from the right: what a client wrote into the header itself
sits further left and is never taken. django-ipware (python-ipware) parses and validates the
header; it counts the proxies' own addresses in the header, hence ``proxy_count=N - 1``, and it is
asked in its lenient mode so that a client-supplied prefix does not make it fall back to the
proxy's address (which would put every such client in one lockout bucket).
"""

from __future__ import annotations

from django.conf import settings
from python_ipware import IpWare


def client_ip_address(request) -> str | None:
    """The address django-axes records and locks (with the user name): see the module's docstring."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        resolver = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=proxies - 1)
        address, _trusted = resolver.get_client_ip(request.META, strict=False)
        if address is not None:
            return str(address)
    return request.META.get("REMOTE_ADDR")
