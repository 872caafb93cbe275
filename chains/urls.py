"""Pages of the chain structure: the per-mu ranking."""

from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("per-mu/", views.per_mu_ranking, name="per-mu"),
]
