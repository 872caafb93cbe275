"""Forms of the report pages: a new report, the briefing, sending, reopening."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PeriodKind
from .models import ReportTemplate


class ReportNewForm(forms.Form):
    template = forms.ModelChoiceField(queryset=ReportTemplate.objects.all(), label=_("template"))
    period_kind = forms.ChoiceField(choices=PeriodKind.choices, label=_("period kind"))
    period_start = forms.DateField(
        label=_("period start"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day of the month, quarter or year."),
    )


class BriefingForm(forms.Form):
    briefing = forms.CharField(label=_("briefing"), widget=forms.Textarea(attrs={"rows": 8}), required=False)


class SendForm(forms.Form):
    sent_to = forms.CharField(label=_("sent to"), max_length=200)
    reference_number = forms.CharField(label=_("reference number"), max_length=100, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have checked the figures: close the report and freeze them."))
