"""Pages of notifications: the inbox and its marks, the channels and quiet hours."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox_page, name="inbox"),
    path("notifications/read-all/", views.mark_all_read, name="read-all"),
    path("notifications/unread/", views.unread, name="unread"),
    path("notifications/<int:pk>/read/", views.mark_read, name="read"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/channels/", views.channel_list, name="channel-list"),
    path("notifications/channels/new/", views.channel_edit, name="channel-new"),
    path("notifications/channels/<int:pk>/", views.channel_edit, name="channel-edit"),
    path(
        "notifications/channels/<int:pk>/<str:action>/",
        views.channel_action,
        name="channel-action",
    ),
]
