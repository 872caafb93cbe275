"""Pages of units: the list, a unit, and the names still to map (bureau staff)."""

from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/unmapped/", views.unmapped_list, name="unmapped"),
    path("units/unmapped/map/", views.unmapped_map, name="unmapped-map"),
]
