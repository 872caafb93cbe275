"""API routes of units (``/api/v1/units/``)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")

urlpatterns = router.urls
