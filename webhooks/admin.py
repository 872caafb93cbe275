"""Admin of webhooks: subscriptions (saved through the services, the secret shown once) and the delivery log."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .choices import EVENT_CHOICES
from .models import Delivery, Subscription
from .services import delivery_redeliver, subscription_create, subscription_delete, subscription_update


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https", help_text=_("http or https."))
    events = forms.MultipleChoiceField(
        label=_("events"), choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Subscription
        fields = ["owner", "url", "events", "description", "is_active"]


@admin.register(Subscription)
class SubscriptionAdmin(SimpleHistoryAdmin):
    form = SubscriptionForm
    list_display = ["url", "owner", "is_active", "failing_since", "disabled_at", "updated_at"]
    list_filter = ["is_active"]
    list_select_related = ["owner"]
    search_fields = ["url", "description", "owner__username"]
    readonly_fields = ["secret_hint", "failing_since", "disabled_at"]

    def get_readonly_fields(self, request, obj=None):
        # The owner is fixed once the subscription exists (its deliveries carry what the owner may read).
        return [*self.readonly_fields, "owner"] if obj is not None else self.readonly_fields

    @admin.display(description=_("secret"))
    def secret_hint(self, obj):
        return obj.secret_hint if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ("url", "events", "description", "is_active")}
        if change:
            saved = subscription_update(subscription=obj, data=data, expected_version=None)
        else:
            saved, secret = subscription_create(owner=form.cleaned_data["owner"], **data)
            messages.warning(request, _("The subscription's secret, shown this once: %(secret)s") % {"secret": secret})
        obj.pk, obj.secret = saved.pk, saved.secret

    def delete_model(self, request, obj):
        subscription_delete(obj)

    def delete_queryset(self, request, queryset):
        for subscription in queryset:
            subscription_delete(subscription)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event_type",
        "subscription",
        "status",
        "attempts",
        "response_code",
        "duration_ms",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription"]
    search_fields = ["event_id", "object_id", "subscription__url"]
    actions = ["redeliver"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Deliver again (the same event id)"), permissions=["change"])
    def redeliver(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                delivery_redeliver(delivery)
                done += 1
            except ValidationError as refusal:
                self.message_user(request, f"{delivery}: {' '.join(refusal.messages)}", messages.WARNING)
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", done) % {"count": done},
        )
