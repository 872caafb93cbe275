"""Forms of the channel pages: a channel (its address written, never shown back) and a person's quiet hours."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .models import Channel

URL_HELP = _(
    "An apprise address: dingtalk://token/, wecombot://key/, feishu://token/, mailtos://user:password@host/, "
    "zzdings://host/robot/send?access_token=… (浙政钉)."
)
KEEP_HELP = _("Leave empty to keep the stored one.")


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100, required=False)
    url = forms.CharField(
        label=_("address"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=URL_HELP,
    )
    unit = forms.ModelChoiceField(
        label=_("unit"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        help_text=_("Empty: the channel is yours. A unit's channel carries what is addressed to the unit."),
    )
    enabled = forms.BooleanField(label=_("enabled"), required=False, initial=True)

    def __init__(self, *args, may_choose_unit: bool = False, channel: Channel | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_choose_unit or (channel is not None and channel.pk):
            del self.fields["unit"]
        if channel is None or not channel.pk:
            self.fields["url"].required = True
        else:
            self.fields["url"].help_text = format_lazy("{} {}", URL_HELP, KEEP_HELP)


class PreferenceForm(forms.Form):
    quiet_start = forms.TimeField(
        label=_("quiet hours from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=_("quiet hours until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
