"""Pages of the service of established firms: the problem board, my firms, firms not visited, a firm."""

from django.urls import path

from . import views

app_name = "aftercare"

urlpatterns = [
    path("issues/", views.issue_list, name="issue-list"),
    path("issues/new/", views.issue_new, name="issue-new"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/advance/", views.issue_advance_view, name="issue-advance"),
    path("my-firms/", views.my_firms, name="my-firms"),
    path("firms/not-visited/", views.not_visited, name="not-visited"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
]
