"""Pages of targets and assessment: the year's targets, a target, the ranking, a town, the review sheet."""

from django.urls import path

from . import edit_views, exports, views

app_name = "targets"

urlpatterns = [
    path("targets/", views.target_list, name="target-list"),
    path("targets/export.<str:extension>", exports.export, name="export"),
    path("targets/rankings/", views.ranking, name="ranking"),
    path("targets/towns/<str:code>/", views.town_detail, name="town-detail"),
    path("targets/<int:pk>/", views.target_detail, name="target-detail"),
    path("targets/new/", edit_views.target_new, name="target-new"),
    path("targets/<int:pk>/edit/", edit_views.target_edit, name="target-edit"),
    path("targets/<int:pk>/delete/", edit_views.target_remove, name="target-delete"),
    path("targets/weights/", edit_views.weights_edit, name="weights-edit"),
]
