"""The installable web app and its offline queue, for every app: the manifest, the service worker, the queue page.

What works with no connection is configured, not known here: ``settings.PINGHU_OFFLINE_PAGES`` names (by URL
name) the pages the service worker keeps for the signed-in user, and a form marked ``data-offline-queue`` is
queued in the browser's IndexedDB when it cannot be sent (static/pinghu/offline/, docs/offline.md). The
server's side of the queue is ``pinghu.pages.queue_answer`` and ``queue_refusal`` (a JSON answer per visit).
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0d6efd"  # the navbar's colour (Bootstrap's bg-primary)
BACKGROUND_COLOUR = "#ffffff"
# What the browser may keep of one user's queued forms, photos included (checked in the browser before a form is
# queued; beyond it the form is refused with a message, not silently dropped).
QUEUE_BUDGET_BYTES = 20 * 1024 * 1024
# The service worker's Workbox modules (copied from npm to static/vendor/workbox/ by `make assets`).
WORKBOX_SW = "vendor/workbox/workbox-sw.js"
WORKBOX_MODULES = ("core", "routing", "strategies", "expiration", "cacheable-response")
SW_SCRIPTS = ("pinghu/offline/queue.js", "pinghu/offline/sw-main.js")
ICONS = (
    ("pinghu/icons/icon-192.png", "192x192", "any"),
    ("pinghu/icons/icon-512.png", "512x512", "any"),
    ("pinghu/icons/icon-maskable-192.png", "192x192", "maskable"),
    ("pinghu/icons/icon-maskable-512.png", "512x512", "maskable"),
)


def offline_pages(user=None) -> list[str]:
    """The paths of the pages the service worker keeps (NetworkFirst), the queue page first.

    ``PINGHU_OFFLINE_PAGES`` maps a page's URL name to the permission it needs; given a user, only the pages they
    may open are listed (bureau staff, who log no visits, are not offered the visit form to keep).
    """
    pages = getattr(settings, "PINGHU_OFFLINE_PAGES", {})
    allowed = [name for name, permission in pages.items() if user is None or user.has_perm(permission)]
    return [reverse("offline-queue"), *(reverse(name) for name in allowed)]


def page_config(user) -> dict:
    """What static/pinghu/offline/page.js needs, in a json_script block of every page (base.html)."""
    return {
        "sw": reverse("service-worker"),
        "queue": reverse("offline-queue"),
        "token": reverse("offline-token"),
        "pages": offline_pages(user),
        # Queued forms are kept per user: another user signed in on the same phone neither sees nor sends them.
        "user": user.get_username() if user.is_authenticated else "",
        "budget": QUEUE_BUDGET_BYTES,
        "texts": texts(),
    }


def texts() -> dict[str, str]:
    """The queue's words for the browser (static JS is not scanned by makemessages), in the request's language."""
    return {
        "queued": _("Saved on this device: it will be sent when the connection returns."),
        "tooLarge": _(
            "This visit and the visits waiting to be sent would take more than %(mb)s MB on this device: "
            "remove some photos or send the waiting visits first."
        )
        % {"mb": QUEUE_BUDGET_BYTES // (1024 * 1024)},
        "confirmSignOut": _(
            "%(count)s visit(s) on this device have not been sent yet. Signing out discards them. Sign out anyway?"
        ),
        "signedOut": _("You are signed out: sign in again, then tap Send."),
        "refused": _("Returned"),
        "waiting": _("Waiting to send"),
        "sending": _("Sending…"),
        "sent": _("Sent"),
        "failed": _("Not sent: the server answered %(status)s. It stays here; try again later."),
        "noConnection": _("No connection: it stays here and is sent when the connection returns."),
        "open": _("Open in the form"),
        "discard": _("Discard"),
        "confirmDiscard": _("Discard this visit? It has not been sent."),
        "empty": _("Nothing is waiting to be sent."),
        "returnedIntro": _("The server returned this visit; correct it and save again:"),
    }


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (installable app). Open to anonymous callers: browsers fetch it without cookies."""
    body = {
        "name": _("Pinghu industrial-chain investment"),
        "short_name": _("Pinghu investment"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")


def _revision(path: str) -> str:
    """A short hash of a static file's content, so a changed file changes sw.js (and the browser updates it)."""
    found = finders.find(path)
    if not found:
        return ""
    with open(found, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


@never_cache
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: served from the root so its scope is the whole site; no data, open to anonymous callers.

    The static URLs come from the static storage (hashed names with ``make serve``, plain ones with DEBUG on),
    and the Workbox modules from ``static/vendor/workbox/`` (never a CDN).
    """
    config = {
        "workboxSw": static(WORKBOX_SW),
        # Each module's URL as the static storage names it (hashed with the manifest storage), for workbox-sw's
        # modulePathCb: its own modulePathPrefix would ask for the plain names.
        "modules": {f"workbox-{name}": static(f"vendor/workbox/workbox-{name}.prod.js") for name in WORKBOX_MODULES},
        "scripts": [static(path) for path in SW_SCRIPTS],
        "pages": offline_pages(),
        "staticPrefix": settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
        "token": reverse("offline-token"),
        "texts": texts(),
        # The service worker changes (and is updated) when one of its scripts does, also with DEBUG on.
        "revision": "-".join(_revision(path) for path in (WORKBOX_SW, *SW_SCRIPTS)),
    }
    source = (
        "// The service worker (pinghu.offline.service_worker): its configuration, then the scripts that act on it.\n"
        f"self.PINGHU_OFFLINE = {json.dumps(config)};\n"
        "importScripts(self.PINGHU_OFFLINE.workboxSw, ...self.PINGHU_OFFLINE.scripts);\n"
    )
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@never_cache
@require_GET
def token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token and the signed-in user, fetched by the queue before it sends (never cached).

    401 when the session has expired: the queued forms stay in the browser until the user signs in again.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("You are signed out: sign in again, then tap Send.")}, status=401)
    return JsonResponse({"token": get_token(request), "user": request.user.get_username()})


@login_required
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    """The forms waiting in this browser (待发送) and those the server returned (退回): listed by JS from IndexedDB."""
    return render(request, "offline/queue.html")
