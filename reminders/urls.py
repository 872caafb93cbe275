"""Pages of the reminder rules: the list (every role reads it) and a rule's form (bureau staff)."""

from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("reminders/rules/", views.rule_list, name="rule-list"),
    path("reminders/rules/<str:kind>/edit/", views.rule_edit, name="rule-edit"),
]
