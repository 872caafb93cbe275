"""The search page and its quick results for the navbar box."""

from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("search/quick/", views.search_quick, name="quick"),
]
