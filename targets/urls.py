"""Pages of targets and assessment: the year's targets, a target, the ranking, a town, the review sheet."""

from django.urls import path

from . import exports, views

app_name = "targets"

urlpatterns = [
    path("targets/", views.target_list, name="target-list"),
    path("targets/export.<str:extension>", exports.export, name="export"),
    path("targets/rankings/", views.ranking, name="ranking"),
    path("targets/towns/<str:code>/", views.town_detail, name="town-detail"),
    path("targets/<int:pk>/", views.target_detail, name="target-detail"),
]
