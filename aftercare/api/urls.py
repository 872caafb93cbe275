"""API routes of the service of established firms (``/api/v1/…``) and its statistics."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("enterprise-issues", views.EnterpriseIssueViewSet, basename="enterprise-issue")
router.register("salon-events", views.SalonEventViewSet, basename="salon-event")
router.register("cadre-assignments", views.CadreAssignmentViewSet, basename="cadre-assignment")

urlpatterns = [
    *router.urls,
    path("stats/issues/", views.IssueStatsView.as_view(), name="stats-issues"),
    path("stats/not-visited/", views.NotVisitedView.as_view(), name="stats-not-visited"),
]
