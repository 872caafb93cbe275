"""Forms of targets and weights, shared by the pages and the admin; saving goes through ``targets.services``."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from pinghu.concurrency import VersionedFormMixin
from pinghu.forms import bootstrap
from units.forms import offer_active_units

from .choices import Metric
from .models import AssessmentWeight, Target
from .services import TARGET_EDITABLE_FIELDS


class TargetForm(VersionedFormMixin, forms.ModelForm):
    """A target's fields (the model's ``clean`` and constraints hold the rules); the version for an edit."""

    class Meta:
        model = Target
        fields = list(TARGET_EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_to"].required = False
        self.fields["year_to"].help_text = _("Leave empty for a one-year target.")
        offer_active_units(self, "unit", self.instance.unit_id)

    def clean(self):
        data = super().clean()
        if data.get("year_to") is None and data.get("year_from") is not None:
            data["year_to"] = data["year_from"]
            self.instance.year_to = data["year_from"]
        return data

    def service_data(self) -> dict:
        """The cleaned fields, as the services take them."""
        return {name: self.cleaned_data.get(name) for name in TARGET_EDITABLE_FIELDS}


class PageTargetForm(TargetForm):
    """The page's form: Bootstrap widgets, the year's default from the list it was opened from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AssessmentWeightForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AssessmentWeight
        fields = ["year", "metric", "weight"]


class YearWeightsForm(forms.Form):
    """One weight per metric for a year's weighted ranking score (0 leaves a metric out of the score)."""

    def __init__(self, *args, weights: dict[str, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        for metric in Metric:
            self.fields[metric.value] = forms.DecimalField(
                label=metric.label,
                min_value=Decimal("0"),
                max_digits=6,
                decimal_places=2,
                initial=weights.get(metric.value, Decimal("1")),
            )
        bootstrap(self)
