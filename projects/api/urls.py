from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("visits", views.InvestmentVisitViewSet, basename="visit")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("signing-events", views.SigningEventViewSet, basename="signing-event")
router.register("enterprise-issues", views.EnterpriseIssueViewSet, basename="enterprise-issue")
router.register("salon-events", views.SalonEventViewSet, basename="salon-event")
router.register("cadre-assignments", views.CadreAssignmentViewSet, basename="cadre-assignment")

urlpatterns = [
    *router.urls,
    path("stats/summary/", views.SummaryView.as_view(), name="stats-summary"),
    path("stats/by-chain/", views.ByChainView.as_view(), name="stats-by-chain"),
    path("stats/pipeline/", views.PipelineView.as_view(), name="stats-pipeline"),
    path("stats/monthly/", views.MonthlyView.as_view(), name="stats-monthly"),
    path("stats/issues/", views.IssueStatsView.as_view(), name="stats-issues"),
    path("stats/not-visited/", views.NotVisitedView.as_view(), name="stats-not-visited"),
]
