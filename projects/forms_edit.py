"""The project edit page's form: a project's own fields and who answers for it, saved by ``project_update``.

The stage, its dates and the conference are not here: they change by a stage move (``forms_moves``).
The approval milestones keep their own form on the project page. The chain and the responsible
official are offered only to a user who may assign projects (``projects.assign_project``); for the
others they show, disabled, and ``project_update`` refuses a change anyway (``project_check_assignment``).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chains.selectors import enterprise_by_name
from pinghu.concurrency import VersionedFormMixin
from pinghu.forms import bootstrap
from pinghu.permissions import Role, may
from units.forms import offer_active_units

from .models import Project
from .services import ASSIGN, ASSIGNMENT_FIELDS

# The fields of the page, in its order; grouped by the template (PROJECT_EDIT_SECTIONS).
PROJECT_EDIT_SECTIONS = [
    (_("Project"), ["name", "investor_name", "source", "is_capital_increase", "first_contact_date"]),
    (
        _("Amounts"),
        [
            "total_investment",
            "foreign_investment",
            "registered_capital",
            "land_area",
            "expected_output",
            "expected_tax",
            "confirm_large_amounts",
        ],
    ),
    (_("Responsibility"), ["chain", "responsible_official", "responsible_unit", "town"]),
    (_("Level"), ["level", "level_year"]),
]
PROJECT_EDIT_FIELDS = [
    "name",
    "source",
    "is_capital_increase",
    "first_contact_date",
    "total_investment",
    "foreign_investment",
    "registered_capital",
    "land_area",
    "expected_output",
    "expected_tax",
    "chain",
    "responsible_official",
    "responsible_unit",
    "town",
    "level",
    "level_year",
]


class ResponsibleOfficialField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        full = user.get_full_name()
        return f"{full}（{user.get_username()}）" if full else user.get_username()


def name_the_field(form: forms.BaseForm) -> None:
    """Start each of ``form``'s own error messages with its field's label (Django's say only "enter a number")."""
    for field in form.fields.values():
        for key, message in list(field.error_messages.items()):
            field.error_messages[key] = gettext("%(field)s: %(problem)s") % {
                "field": str(field.label).capitalize() if field.label else "",
                "problem": message,
            }


class ProjectEditForm(VersionedFormMixin, forms.ModelForm):
    """A project's own fields and its assignment; ``changes`` is ``project_update``'s ``data``."""

    investor_name = forms.CharField(
        label=_("investor"),
        max_length=128,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The enterprise's exact name as recorded."),
    )
    confirm_large_amounts = forms.BooleanField(
        label=_("Confirm the amounts are correct"),
        required=False,
        help_text=_("Needed only when an amount is above its warning line; check the unit (万元)."),
    )

    class Meta:
        model = Project
        fields = PROJECT_EDIT_FIELDS
        field_classes = {"responsible_official": ResponsibleOfficialField}
        widgets = {"first_contact_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_assign = may(user, ASSIGN)
        self.fields["investor_name"].initial = self.instance.investor.name
        officials = get_user_model().objects.filter(is_active=True, groups__name=Role.OFFICIAL)
        if self.instance.responsible_official_id:
            officials = officials | get_user_model().objects.filter(pk=self.instance.responsible_official_id)
        self.fields["responsible_official"].queryset = officials.distinct().order_by("username")
        offer_active_units(self, "responsible_unit", self.instance.responsible_unit_id)
        if not self.may_assign:
            for name in ASSIGNMENT_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Only administrators and bureau staff may change this.")
        self.order_fields([name for _title, names in PROJECT_EDIT_SECTIONS for name in names])
        name_the_field(self)
        bootstrap(self)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The page's fieldsets: a title and its bound fields."""
        return [
            (title, [self[name] for name in names if name in self.fields]) for title, names in PROJECT_EDIT_SECTIONS
        ]

    def clean(self):
        data = super().clean()
        # Read by Project.clean(), which the model form runs next.
        self.instance.large_amounts_confirmed = bool(data.get("confirm_large_amounts"))
        name = (data.get("investor_name") or "").strip()
        if name:
            try:
                investor = enterprise_by_name(name)
            except forms.ValidationError as error:
                self.add_error("investor_name", error.messages)
            else:
                if investor is None:
                    self.add_error(
                        "investor_name",
                        gettext("Investor: no enterprise is called %(name)s; add it first in the admin.")
                        % {"name": name},
                    )
                else:
                    self.instance.investor = investor
        return data

    @property
    def changes(self) -> dict:
        """The fields the user changed, for ``project_update`` (which writes only those, after the version check)."""
        changed = set(self.changed_data)
        data = {name: getattr(self.instance, name) for name in PROJECT_EDIT_FIELDS if name in changed}
        if "investor_name" in changed:
            data["investor"] = self.instance.investor
        return data
