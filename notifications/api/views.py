"""``/api/v1/notifications/``: the caller's own notifications (never another's), unread first; mark one or all read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pinghu.api.viewsets import ERRORS, READ_ERRORS

from ..filters import NotificationFilterSet
from ..models import Notification
from ..selectors import inbox
from ..services import notification_mark_read, notifications_mark_all_read
from .serializers import NotificationSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("My notifications"),
        description=_("The caller's own notifications, unread first then newest; ?state=unread|read, ?kind=."),
        responses={200: NotificationSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("One of my notifications"), responses={200: NotificationSerializer, **READ_ERRORS}
    ),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering = ["-created_at", "-id"]
    ordering_fields = ["created_at", "id"]
    lookup_value_regex = r"[0-9]+"
    # Everyone signed in has an inbox: no role permission, the queryset is the caller's own rows.
    action_permissions = {"list": [], "retrieve": [], "read": [], "read_all": []}

    def get_queryset(self):
        return inbox(self.request.user)

    @extend_schema(summary=_("Mark read"), request=None, responses={200: NotificationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_mark_read(notification=notification, user=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        summary=_("Mark all read"),
        request=None,
        responses={200: OpenApiResponse(description=_('How many were marked: {"marked": n}')), **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications_mark_all_read(user=request.user)})
