"""The rule form, shared by the rules page and the admin: the flag and the thresholds the rule's kind uses."""

from django import forms

from pinghu.concurrency import VersionedFormMixin
from pinghu.forms import bootstrap

from .models import ReminderRule
from .services import EDITABLE_FIELDS


class RuleForm(VersionedFormMixin, forms.ModelForm):
    """A rule's enabled flag and thresholds; the fields its kind does not use are left out."""

    class Meta:
        model = ReminderRule
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = set(self.instance.fields) if self.instance.pk else set(EDITABLE_FIELDS)
        for name in EDITABLE_FIELDS:
            if name != "enabled" and name not in used:
                self.fields.pop(name, None)

    def service_data(self) -> dict:
        """The cleaned fields shown, as ``rule_update`` takes them."""
        return {name: self.cleaned_data.get(name) for name in self.fields if name != "version"}


class PageRuleForm(RuleForm):
    """The page's form, with Bootstrap widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
