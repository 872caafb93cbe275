"""API routes of investment activity (``/api/v1/…``) and its statistics."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import funds, land, milestones, stats, views

router = SimpleRouter()
router.register("visits", views.InvestmentVisitViewSet, basename="visit")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("signing-events", views.SigningEventViewSet, basename="signing-event")
router.register("project-funds", funds.ProjectFundsViewSet, basename="project-funds")
router.register("land-parcels", land.LandParcelViewSet, basename="land-parcel")
router.register("exchange-rates", views.ExchangeRateViewSet, basename="exchange-rate")

urlpatterns = [
    *router.urls,
    path("stats/summary/", stats.SummaryView.as_view(), name="stats-summary"),
    path("stats/by-chain/", stats.ByChainView.as_view(), name="stats-by-chain"),
    path("stats/pipeline/", stats.PipelineView.as_view(), name="stats-pipeline"),
    path("stats/monthly/", stats.MonthlyView.as_view(), name="stats-monthly"),
    path("stats/funds/by-town/", stats.FundsByTownView.as_view(), name="stats-funds-by-town"),
    path("stats/milestones/", milestones.MilestoneStatsView.as_view(), name="stats-milestones"),
    path("stats/land/", land.LandStatsView.as_view(), name="stats-land"),
    path("stats/bands/", stats.BandsView.as_view(), name="stats-bands"),
]
