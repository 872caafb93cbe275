"""Forms of the problem pages. They validate input; the writes are ``aftercare.services``."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chains.selectors import enterprise_by_name, enterprise_near_name, near_name_hint
from units.forms import UnitChoiceField

from .choices import IssueStatus, Satisfaction
from .models import EnterpriseIssue, SalonEvent


class IssueForm(forms.ModelForm):
    """Record a problem a firm raised; the enterprise is typed (search-as-you-type) and must exist."""

    enterprise_name = forms.CharField(
        label=_("enterprise"),
        max_length=128,
        widget=forms.TextInput(
            attrs={
                "list": "enterprise-options",
                "autocomplete": "off",
                "data-firm-search": reverse_lazy("chains:enterprise-suggest"),  # static/pinghu/firm_search.js
            }
        ),
        help_text=_("Type to search; the enterprise must already be recorded."),
    )

    class Meta:
        model = EnterpriseIssue
        fields = ["channel", "salon", "category", "description", "received_on", "due_date"]
        widgets = {
            "received_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "due_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    field_order = ["enterprise_name", "channel", "salon", "category", "description", "received_on", "due_date"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["salon"].queryset = SalonEvent.objects.select_related("host").order_by("-date")[:100]

    def clean_enterprise_name(self) -> str:
        name = self.cleaned_data["enterprise_name"].strip()
        enterprise = enterprise_by_name(name)
        if enterprise is None:
            near = enterprise_near_name(name)
            raise forms.ValidationError(
                near_name_hint(near.name)
                if near
                else _("No enterprise is recorded under this name: %(name)s.") % {"name": name}
            )
        self.instance.enterprise = enterprise
        return name


class IssueAdvanceForm(forms.Form):
    """One step on the problem board; which fields count depends on the step (see ``issue_advance``)."""

    to_status = forms.ChoiceField(
        label=_("to status"), choices=[(s.value, s.label) for s in IssueStatus if s != IssueStatus.RECEIVED]
    )
    on = forms.DateField(label=_("date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    unit = UnitChoiceField(label=_("assigned unit"), required=False)
    due_date = forms.DateField(
        label=_("due date"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Resolved: how; rejected: why."),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction"),
        choices=[("", "—"), *Satisfaction.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    # The version of the problem the page showed the moves from; issue_advance refuses the step if the
    # problem changed since. Optional: a step posted without it (a script, say) is not checked.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
