"""Pages of the chain structure: the per-mu ranking, the firm filter's suggestions."""

from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("per-mu/", views.per_mu_ranking, name="per-mu"),
    path("enterprises/suggest/", views.enterprise_suggest, name="enterprise-suggest"),
]
