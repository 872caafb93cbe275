"""URL wiring for the whole site (the one module allowed to import every app)."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = _("Pinghu industrial-chain investment tracker")
admin.site.site_title = _("Pinghu investment tracker")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("chains.api.urls")),
    path("api/v1/", include("projects.api.urls")),
    # The schema and its documentation are public: they describe the contract, not the data.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("projects.urls")),
]
