"""API routes of the chain structure (``/api/v1/…``) and the per-mu statistics."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("chains", views.ChainViewSet, basename="chain")
router.register("chain-nodes", views.ChainNodeViewSet, basename="chain-node")
router.register("leaders", views.LeaderViewSet, basename="leader")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("enterprise-metrics", views.EnterpriseAnnualMetricViewSet, basename="enterprise-metric")

urlpatterns = [
    *router.urls,
    path("stats/per-mu/by-town/", views.PerMuByTownView.as_view(), name="stats-per-mu-by-town"),
    path("stats/per-mu/by-chain/", views.PerMuByChainView.as_view(), name="stats-per-mu-by-chain"),
]
