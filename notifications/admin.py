"""Notifications in the admin: channels (address written, shown masked, with history); deliveries, digests read-only.

Bureau staff manage the units' channels here; administrators see everything, including people's own
channels and notifications (the inbox pages stay the place where a person manages theirs).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.permissions import is_admin

from .delivery import resume_channel
from .models import Channel, Delivery, Digest, Notification
from .selectors import channels_for
from .sending import kind_of
from .services import channel_save, channel_send_test


class ChannelAdminForm(forms.ModelForm):
    url = forms.CharField(
        label=_("address"),
        required=False,
        max_length=1000,
        help_text=_("Written here, never shown back (the list shows it masked). Empty: keep the stored one."),
    )

    class Meta:
        model = Channel
        fields = ["owner", "unit", "name", "enabled", "paused_at"]

    def clean(self):
        cleaned = super().clean()
        url = (cleaned.get("url") or "").strip()
        if url:
            try:
                kind_of(url)
            except ValidationError as refusal:
                self.add_error("url", refusal)
        elif not self.instance.pk:
            self.add_error("url", _("An address is required."))
        owner = cleaned.get("owner", self.instance.owner if self.instance.pk else None)
        if bool(owner) == bool(cleaned.get("unit")):
            self.add_error(None, _("A channel belongs to a person or to a unit, not both."))
        return cleaned


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Channel)
class ChannelAdmin(SimpleHistoryAdmin):
    form = ChannelAdminForm
    list_display = ["__str__", "kind", "url_masked", "owner", "unit", "enabled", "paused_at", "failing_since"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "unit__name", "owner__username"]
    readonly_fields = ["kind", "url_masked", "failing_since", "last_success_at", "last_error"]
    autocomplete_fields = ["unit"]
    actions = ["send_test", "resume"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # Bureau staff manage units' channels; a person's own are theirs (or an administrator's) to set up.
        return fields if is_admin(request.user) else [name for name in fields if name != "owner"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("owner", "unit")
        return queryset if is_admin(request.user) else queryset.filter(pk__in=channels_for(request.user))

    def save_model(self, request, obj, form, change) -> None:
        channel_save(channel=obj, url=form.cleaned_data.get("url", ""), by=request.user)

    @admin.action(description=_("Send a test message"))
    def send_test(self, request, queryset) -> None:
        for channel in queryset:
            ok, error = channel_send_test(channel=channel)
            level = messages.SUCCESS if ok else messages.ERROR
            self.message_user(request, f"{channel}: {'OK' if ok else error}", level)

    @admin.action(description=_("Resume paused channels"))
    def resume(self, request, queryset) -> None:
        for channel in queryset.filter(paused_at__isnull=False):
            resume_channel(channel)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status"]
    list_select_related = ["channel", "channel__owner", "channel__unit"]
    search_fields = ["id"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "unit", "day", "lines"]
    list_filter = ["day"]
    list_select_related = ["recipient", "unit"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "urgent", "created_at", "read_at"]
    list_filter = ["kind", "urgent"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]
