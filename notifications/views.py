"""Pages: the inbox (read marks, each line opening its object) and one's channels and quiet hours.

Every page selects the signed-in user's own rows; bureau staff also manage the units' channels. The
marks and channel actions are POSTs (CSRF-protected) that answer with a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinghu.forms import add_refusal, bootstrap
from pinghu.pages import filtered, paginate, query_without_page
from pinghu.permissions import DENIED

from .filters import NotificationFilterSet
from .forms import ChannelForm, PreferenceForm
from .models import Channel, Notification, Preference
from .quiet import site_hours
from .selectors import channels_for, inbox, manages_unit_channels, may_manage_channel, unread_count
from .services import (
    channel_delete,
    channel_resume,
    channel_save,
    channel_send_test,
    notification_mark_read,
    notifications_mark_all_read,
    preference_save,
)


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    """The user's notifications, unread first, 50 a page, filtered by read state."""
    filterset, rows = filtered(request, NotificationFilterSet, inbox(request.user))
    page = paginate(request, rows)
    return render(
        request,
        "notifications/inbox.html",
        {
            "filter": filterset,
            "page": page,
            "count": page.paginator.count,
            "unread": unread_count(request.user),
            "query": query_without_page(request),
        },
    )


@login_required
def unread(request: HttpRequest) -> JsonResponse:
    """``{"unread": n}``: the navigation bar's count, asked for by its script."""
    return JsonResponse({"unread": unread_count(request.user)})


def _back(request: HttpRequest, default: str = "notifications:inbox"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, user=request.user)
    return _back(request)


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to what it is about (a page of this site only)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, user=request.user)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, {request.get_host()}, require_https=request.is_secure()):
        return redirect(link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return _back(request)


@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    """The user's channels (and the units', for bureau staff), and their quiet hours."""
    preference = Preference.objects.filter(user=request.user).first()
    initial = {"quiet_start": preference.quiet_start, "quiet_end": preference.quiet_end} if preference else {}
    form = bootstrap(PreferenceForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        try:
            preference_save(user=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Quiet hours saved."))
            return redirect("notifications:channel-list")
    default = site_hours()
    return render(
        request,
        "notifications/channel_list.html",
        {
            "channels": channels_for(request.user).order_by("unit__name", "kind", "pk"),
            "form": form,
            "default_hours": f"{default[0]:%H:%M}–{default[1]:%H:%M}" if default else "",
            "manages_units": manages_unit_channels(request.user),
        },
    )


def _channel(request: HttpRequest, pk: int) -> Channel:
    channel = get_object_or_404(Channel.objects.select_related("owner", "unit"), pk=pk)
    if not may_manage_channel(request.user, channel):
        raise PermissionDenied(DENIED)
    return channel


@login_required
def channel_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new channel, or one to change: the address is written, never shown back (only its masked form)."""
    channel = _channel(request, pk) if pk else Channel(owner=request.user)
    form = bootstrap(
        ChannelForm(
            request.POST or None,
            initial={"name": channel.name, "enabled": channel.enabled if channel.pk else True},
            may_choose_unit=manages_unit_channels(request.user),
            channel=channel,
        )
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        channel.name, channel.enabled = data["name"], data["enabled"]
        if data.get("unit"):
            channel.owner, channel.unit = None, data["unit"]
        try:
            channel_save(channel=channel, url=data["url"], by=request.user)
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Channel saved."))
            return redirect("notifications:channel-list")
    return render(request, "notifications/channel_form.html", {"form": form, "channel": channel})


@login_required
@require_POST
def channel_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """``test`` (send a test message now), ``resume`` (after a pause) or ``delete``."""
    channel = _channel(request, pk)
    if action == "test":
        ok, error = channel_send_test(channel=channel)
        if ok:
            messages.success(request, _("Test message sent to %(channel)s.") % {"channel": channel})
        else:
            messages.error(request, _("The test message failed: %(error)s") % {"error": error})
    elif action == "resume":
        count = channel_resume(channel=channel, by=request.user)
        messages.success(request, _("Channel resumed; %(count)d held messages queued.") % {"count": count})
    elif action == "delete":
        channel_delete(channel=channel, by=request.user)
        messages.success(request, _("Channel deleted."))
    else:
        raise PermissionDenied(DENIED)
    return redirect("notifications:channel-list")
