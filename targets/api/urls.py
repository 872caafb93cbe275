"""API routes of targets (``/api/v1/…``): targets, assessment weights and their progress statistics."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("targets", views.TargetViewSet, basename="target")
router.register("assessment-weights", views.AssessmentWeightViewSet, basename="assessment-weight")

urlpatterns = [
    *router.urls,
    path("stats/targets/", views.TargetStatsView.as_view(), name="stats-targets"),
]
