"""URL wiring for the whole site (the one module allowed to import every app)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pinghu import offline
from pinghu.views import healthz

admin.site.site_header = _("Pinghu industrial-chain investment tracker")
admin.site.site_title = _("Pinghu investment tracker")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The installable app (docs/offline.md): its manifest and service worker at the root (the worker's scope is
    # the path it is served from), the queue's CSRF token and the page of visits waiting to be sent.
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("offline/token", offline.token, name="offline-token"),
    path("offline/", offline.queue_page, name="offline-queue"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Log in and out, and change one's password. No self-service password reset: the app sends
    # no e-mail, and an administrator resets passwords in the admin.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("units.api.urls")),
    path("api/v1/", include("chains.api.urls")),
    path("api/v1/", include("projects.api.urls")),
    path("api/v1/", include("aftercare.api.urls")),
    path("api/v1/", include("targets.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/v1/", include("notifications.api.urls")),
    path("api/v1/", include("webhooks.api.urls")),
    # The schema and its documentation need a login or a token (SPECTACULAR_SETTINGS). The split
    # Swagger view serves its start-up script as a file, which the Content-Security-Policy allows.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="api-docs",
    ),
    path("", include("units.urls")),
    path("", include("chains.urls")),
    path("", include("projects.urls")),
    path("", include("aftercare.urls")),
    path("", include("targets.urls")),
    path("", include("reports.urls")),
    path("", include("notifications.urls")),
    path("", include("reminders.urls")),
    path("", include("search.urls")),
]
