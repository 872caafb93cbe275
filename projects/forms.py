"""Forms of the web pages. They validate input; the writes are ``projects.services``."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from chains.models import Chain, Enterprise, Leader
from chains.selectors import enterprise_by_name, enterprise_near_name, enterprises_named, near_name_hint
from pinghu.concurrency import VersionedFormMixin
from pinghu.forms import bootstrap
from pinghu.pages import IDEMPOTENCY_FIELD, IdempotencyKeyField
from pinghu.plausibility import amount_errors, amount_warning_line, unconfirmed_amount_errors
from units.forms import UnitChoiceField, offer_active_units

from . import phone
from .choices import ProjectStage
from .models import FollowUp, InvestmentVisit, Project, ProjectFunds, SigningEvent
from .models.milestones import MILESTONE_FIELDS

User = get_user_model()


class QuickVisitForm(VersionedFormMixin, forms.ModelForm):
    """The phone form: a visit, its leaders and chains, an existing or new enterprise, linked or new projects."""

    # Searchable pickers on the phone (static/pinghu/visit_form.js, tom-select); plain <select multiple> without JS.
    leaders = forms.ModelMultipleChoiceField(
        queryset=Leader.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"data-picker": "leaders"}),
        label=_("leaders"),
    )
    enterprise_name = forms.CharField(
        label=_("visited enterprise"),
        max_length=128,
        widget=forms.TextInput(attrs={"list": "enterprise-options", "autocomplete": "off", "data-picker": "firm"}),
        help_text=_("Name, pinyin or credit code; a name not found yet can be added as a new enterprise."),
    )
    create_enterprise = forms.BooleanField(label=_("Add it as a new enterprise"), required=False)
    new_enterprise_in_pinghu = forms.BooleanField(label=_("located in Pinghu"), required=False)
    chains = forms.ModelMultipleChoiceField(
        queryset=Chain.objects.all(),
        widget=forms.SelectMultiple(attrs={"data-picker": "chains"}),
        required=False,
        label=_("chains concerned"),
    )
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("linked projects"),
    )
    new_lead_name = forms.CharField(label=_("new lead: name"), max_length=200, required=False)
    new_lead_chain = forms.ModelChoiceField(queryset=Chain.objects.all(), label=_("new lead: chain"), required=False)
    new_lead_investment = forms.DecimalField(
        label=_("new lead: total investment (10k CNY)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(Decimal("0"))],
        # Django's own messages name neither the field nor, in Chinese, end as a sentence.
        error_messages={
            "invalid": _("New lead's total investment: enter a number, in 10k CNY."),
            "min_value": _("New lead's total investment cannot be negative."),
            "max_digits": _("New lead's total investment: at most %(max)s digits in all."),
            "max_decimal_places": _("New lead's total investment: at most %(max)s decimal places."),
            "max_whole_digits": _("New lead's total investment: at most %(max)s digits before the decimal point."),
        },
    )
    confirm_large_amounts = forms.BooleanField(
        label=_("Confirm the amounts are correct"),
        required=False,
        help_text=_("The amount is above the line from which it must be confirmed; check the unit (万元)."),
    )

    idempotency_key = IdempotencyKeyField()

    field_order = [
        "date",
        "leaders",
        "enterprise_name",
        "create_enterprise",
        "new_enterprise_in_pinghu",
        "chains",
        "purpose",
        "outcome",
        "next_step",
        "follow_up_date",
        "projects",
        "new_lead_name",
        "new_lead_chain",
        "new_lead_investment",
        "confirm_large_amounts",
        "host_unit",
        "destination_city",
    ]

    class Meta:
        model = InvestmentVisit
        fields = ["date", "host_unit", "destination_city", "purpose", "outcome", "next_step", "follow_up_date"]
        widgets = {
            "date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "follow_up_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_enterprise: Enterprise | None = None
        self.user = user
        if user is not None:  # the user's own leader, then their usual companions (projects.phone)
            self.fields["leaders"].queryset = phone.leaders_for(user)
        if self.instance.pk is None:
            self.fields["date"].initial = timezone.localdate()
            own_leader = getattr(user, "leader", None) if user is not None else None
            if own_leader is not None:
                self.fields["leaders"].initial = [own_leader.pk]
                self.fields["host_unit"].initial = own_leader.unit_id
        else:
            self.fields["leaders"].initial = list(self.instance.leaders.all())
            self.fields["chains"].initial = list(self.instance.chains.all())
            self.fields["projects"].initial = list(self.instance.projects.all())
            self.fields["enterprise_name"].initial = self.instance.enterprise.name
            for name in ("new_lead_name", "new_lead_chain", "new_lead_investment", IDEMPOTENCY_FIELD):
                del self.fields[name]
        if not self._large_amount_typed():
            # 确认金额无误 is shown only once an amount above its warning line was typed.
            del self.fields["confirm_large_amounts"]
        # Only the visited enterprise's open projects (and those already linked) are offered.
        enterprise_name = self.data.get("enterprise_name") or self.fields["enterprise_name"].initial
        offered = phone.open_projects().filter(investor__in=enterprises_named(enterprise_name or ""))
        if self.instance.pk is not None:
            offered = offered | self.instance.projects.all()
        self.fields["projects"].widget.choices = [(p.pk, str(p)) for p in offered.distinct()[:50]]
        offer_active_units(self, "host_unit", self.instance.host_unit_id)
        bootstrap(self)

    # --- what the phone page shows beside the fields (read when the template asks, not on a saved POST)

    @cached_property
    def phrases(self) -> dict[str, list[str]]:
        """The user's last purposes and outcomes, offered as one-tap chips."""
        return phone.last_phrases(self.user) if self.user is not None else {"purpose": [], "outcome": []}

    @cached_property
    def recent_firms(self) -> list[dict]:
        """The firms the user visited last, embedded for the picker (works with no connection)."""
        return phone.recent_firms(self.user) if self.user is not None else []

    @property
    def on_saturday(self) -> bool:
        """Whether the date shown is a Saturday (周六招商日), to mark it."""
        value = self["date"].value()
        if isinstance(value, str):
            try:
                value = parse_date(value.strip())
            except ValueError:  # well formed but no such day
                value = None
        return isinstance(value, datetime.date) and value.weekday() == 5

    def folded_open(self, *names: str) -> bool:
        """Whether a folded part (new firm, new lead) opens: one of its fields carries data or an error."""
        return any(name in self.fields and (self[name].value() or name in self.errors) for name in names)

    @property
    def new_firm_open(self) -> bool:
        # A refused firm name opens it too: adding it as a new firm may be the way out.
        return "enterprise_name" in self.errors or self.folded_open("create_enterprise", "new_enterprise_in_pinghu")

    @property
    def new_lead_open(self) -> bool:
        return self.folded_open("new_lead_name", "new_lead_chain", "new_lead_investment", "confirm_large_amounts")

    def clean(self):
        data = super().clean()
        name = (data.get("enterprise_name") or "").strip()
        if name:
            try:
                enterprise = enterprise_by_name(name)
            except forms.ValidationError as error:
                self.add_error("enterprise_name", error.messages)
                return data
            if enterprise is not None:
                self.instance.enterprise = enterprise
            elif data.get("create_enterprise"):
                # Saved by visit_create in the visit's transaction. "enterprise" is not a form field, so
                # the visit's own validation does not ask for it meanwhile.
                self.new_enterprise = Enterprise(name=name, in_pinghu=bool(data.get("new_enterprise_in_pinghu")))
                try:
                    self.new_enterprise.full_clean()
                except forms.ValidationError as error:
                    self.add_error("enterprise_name", error.messages)
            else:
                near = enterprise_near_name(name)
                self.add_error(
                    "enterprise_name",
                    near_name_hint(near.name)
                    if near
                    else _(
                        "No enterprise is called %(name)s. Pick one from the list or tick “Add it as a new enterprise”."
                    )
                    % {"name": name},
                )
        # A lead field with an error of its own (a bad amount, say) was filled in: only fields left
        # empty make the lead incomplete, so a bad amount is one error, on the amount.
        lead_fields = ["new_lead_name", "new_lead_chain", "new_lead_investment"]
        filled = [name for name in lead_fields if data.get(name) not in (None, "") or name in self.errors]
        if filled and len(filled) < len(lead_fields):
            self.add_error("new_lead_name", _("A new lead needs a name, a chain and a total investment."))
        if data.get("new_lead_investment") is not None:
            lead = Project(total_investment=data["new_lead_investment"])
            lead.large_amounts_confirmed = bool(data.get("confirm_large_amounts"))
            problems = {
                **unconfirmed_amount_errors(lead, ["total_investment"]),
                **amount_errors(lead, ["total_investment"]),
            }
            if "total_investment" in problems:
                self.add_error("new_lead_investment", problems["total_investment"])
        return data

    def _large_amount_typed(self) -> bool:
        """Whether the new lead's investment, as posted, is above its warning line."""
        line = amount_warning_line("total_investment")
        try:
            typed = Decimal(str(self.data.get("new_lead_investment") or "").replace(",", "").strip())
        except ArithmeticError:
            return False
        return "new_lead_investment" in self.fields and line is not None and typed > line

    def new_projects(self) -> list[Project]:
        data = self.cleaned_data
        if not data.get("new_lead_name"):
            return []
        return [
            Project(
                name=data["new_lead_name"],
                chain=data["new_lead_chain"],
                total_investment=data["new_lead_investment"],
            )
        ]


class FollowUpForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    class Meta:
        model = FollowUp
        fields = ["date", "note", "next_step", "due_date"]
        widgets = {
            "date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "due_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }


class TransitionForm(forms.Form):
    to_stage = forms.ChoiceField(choices=ProjectStage.choices, label=_("to stage"))
    date = forms.DateField(label=_("date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), required=False, max_length=2000)


class EnterpriseMergeForm(forms.Form):
    """One merge of the data-quality page: ``duplicate`` goes into ``keep`` (``chains.services.enterprise_merge``)."""

    keep = forms.ModelChoiceField(queryset=Enterprise.objects.all(), label=_("enterprise kept"))
    duplicate = forms.ModelChoiceField(queryset=Enterprise.objects.all(), label=_("enterprise merged into it"))


# ---------------------------------------------------------------- funds in place (到位资金)


class ProjectFundsForm(VersionedFormMixin, forms.ModelForm):
    """A month's funds in place on the project page: a new month, or the correction of one (with its version)."""

    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    class Meta:
        model = ProjectFunds
        fields = ["month", "domestic_funds", "actual_foreign_investment", "source_note"]


# --- Approval milestones (issue 16) -------------------------------------------------------------------


class ProjectMilestonesForm(VersionedFormMixin, forms.Form):
    """A project's approval milestones on its page; saved by ``project_update`` (same rights as editing it)."""

    def __init__(self, *args, instance: Project, **kwargs):
        self.instance = instance
        kwargs.setdefault("initial", forms.models.model_to_dict(instance, fields=MILESTONE_FIELDS))
        super().__init__(*args, **kwargs)
        for name, field in forms.models.fields_for_model(Project, fields=MILESTONE_FIELDS).items():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
            if name == "project_code":
                # Checked by the model once spaces and full-width hyphens are dropped (Project.clean_fields).
                field.validators = []
            self.fields[name] = field
        self.order_fields(MILESTONE_FIELDS)
        bootstrap(self)

    @property
    def changes(self) -> dict:
        """The milestone fields as entered, for ``project_update``."""
        return {name: self.cleaned_data[name] for name in MILESTONE_FIELDS}


# ---------------------------------------------------------------- bulk actions on the project list


class ProjectSelectionForm(forms.Form):
    """A bulk action on the rows checked in the project list (``projects.bulk_views``); each action's own fields."""

    ASSIGN_OFFICIAL, ASSIGN_UNIT, SIGN, HOLD, EXPORT_CSV, EXPORT_XLSX = (
        "assign_official",
        "assign_unit",
        "sign",
        "hold",
        "csv",
        "xlsx",
    )
    ACTIONS = [ASSIGN_OFFICIAL, ASSIGN_UNIT, SIGN, HOLD, EXPORT_CSV, EXPORT_XLSX]
    NEEDS = {ASSIGN_OFFICIAL: "responsible_official", ASSIGN_UNIT: "responsible_unit", SIGN: "signing_event"}

    selected = forms.ModelMultipleChoiceField(
        queryset=Project.objects.all(),
        label=_("selected projects"),
        error_messages={"required": _("Select at least one project.")},
    )
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS], label=_("action"))
    responsible_official = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        label=_("responsible official"),
        required=False,
    )
    responsible_unit = UnitChoiceField(label=_("responsible unit"), required=False)
    signing_event = forms.ModelChoiceField(
        queryset=SigningEvent.objects.order_by("-date", "-pk"), label=_("signing conference"), required=False
    )
    reason = forms.CharField(label=_("reason for the hold"), required=False, max_length=2000)
    date = forms.DateField(
        label=_("on hold since"),
        required=False,
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
        for name in ("responsible_official", "responsible_unit", "signing_event", "reason", "date"):
            self.fields[name].widget.attrs["form"] = "bulk"
        self.fields["date"].widget.attrs["aria-label"] = self.fields["date"].label

    def clean(self):
        data = super().clean()
        action = data.get("action")
        needed = self.NEEDS.get(action)
        if needed and not data.get(needed):
            self.add_error(needed, forms.ValidationError(_("Choose one for this action."), code="required"))
        if action == self.HOLD:
            if not (data.get("reason") or "").strip():
                self.add_error("reason", forms.ValidationError(_("Give the reason for the hold."), code="required"))
            if not data.get("date"):
                self.add_error("date", forms.ValidationError(_("Give the date of the hold."), code="required"))
        return data
