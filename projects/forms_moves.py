"""The form of one stage move: every date it needs on one form, the conference when it passes 签约, a reason for hold.

``StageMoveForm(project=..., to_stage=..., data=...)`` builds its fields from ``projects.moves.stage_move``;
``form.save(by=user)`` calls ``projects.services.project_move`` and puts a refusal (a stale version
too) on the form. The project page's move page and the pipeline board use it.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pinghu.concurrency import VersionedFormMixin
from pinghu.forms import add_refusal, bootstrap

from .choices import STAGE_DATE_FIELDS, ProjectStage
from .models import Project, SigningEvent
from .moves import StageMove, stage_move
from .services import project_move

DATE_WIDGET = {"format": "%Y-%m-%d", "attrs": {"type": "date"}}


def _label(field: str) -> str:
    return str(Project._meta.get_field(field).verbose_name)


class StageMoveForm(VersionedFormMixin, forms.Form):
    """One move of ``project`` to ``to_stage``.

    Fields: a date for each dated stage the move reaches, named as the project's date fields
    (``signed_date``, ``registered_date``, …; prefilled from the project, the target's with today);
    ``date`` for a move to an undated stage (on hold, dropped, back from hold); ``signing_event``
    (optional) when the move passes 签约 — a signed date left empty then takes the conference's date;
    ``note``, the reason, required for hold; and the hidden ``version`` the page was read at.
    """

    note = forms.CharField(label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project: Project, to_stage: str, **kwargs):
        self.instance = project
        self.move: StageMove = stage_move(project, to_stage)
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.date_fields: list[str] = []
        for stage in self.move.dated_stages:
            name = STAGE_DATE_FIELDS[stage]
            self.date_fields.append(name)
            self.fields[name] = forms.DateField(
                label=_label(name),
                initial=getattr(project, name) or (today if stage == to_stage else None),
                # A signed date may be left to the conference chosen below; clean() asks for one or the other.
                required=not (stage == ProjectStage.SIGNED and self.move.passes_signing),
                widget=forms.DateInput(**DATE_WIDGET),
                error_messages={
                    "required": gettext("%(field)s: needed to move to %(stage)s.")
                    % {"field": _label(name), "stage": self.move.label},
                    "invalid": gettext("%(field)s: enter a date as YYYY-MM-DD.") % {"field": _label(name)},
                },
            )
        if not self.move.dated_stages:
            self.fields["date"] = forms.DateField(
                label=_("date"),
                initial=today,
                widget=forms.DateInput(**DATE_WIDGET),
                error_messages={
                    "required": gettext("Date: the day of the move is needed."),
                    "invalid": gettext("Date: enter a date as YYYY-MM-DD."),
                },
            )
        if self.move.passes_signing:
            self.fields["signing_event"] = forms.ModelChoiceField(
                queryset=SigningEvent.objects.order_by("-date", "name"),
                required=False,
                label=_("signing conference"),
                help_text=_("If the project signed at a conference; its date is then the signed date."),
            )
        if self.move.needs_reason:
            self.fields["note"].label = _("reason")
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = gettext("Reason: a project is put on hold with a reason.")
        self.order_fields([*self.date_fields, "date", "signing_event", "note"])
        bootstrap(self)

    @property
    def target_field(self) -> str:
        """The field holding the move's own date."""
        return self.date_fields[-1] if self.date_fields else "date"

    def clean(self):
        data = super().clean()
        event = data.get("signing_event")
        signed = STAGE_DATE_FIELDS[ProjectStage.SIGNED]
        if signed in self.fields and not data.get(signed) and signed not in self.errors:
            if event is not None:
                data[signed] = event.date
            else:
                self.add_error(
                    signed,
                    gettext("%(field)s: needed to move past signing (or choose the signing conference).")
                    % {"field": _label(signed)},
                )
        if event is not None and data.get(signed) and data[signed] != event.date:
            self.add_error(
                "signing_event",
                gettext("Signing conference: %(event)s was held on %(date)s; the signed date must be that day.")
                % {"event": event.name, "date": event.date},
            )
        today = timezone.localdate()
        for name in [*self.date_fields, "date"]:
            value = data.get(name)
            if isinstance(value, datetime.date) and value > today:
                label = self.fields[name].label
                self.add_error(name, gettext("%(field)s cannot be in the future.") % {"field": label})
        return data

    def save(self, *, by) -> Project | None:
        """Make the move; the moved project, or None with the refusal's reasons on the form."""
        data = self.cleaned_data
        stage_dates = {stage: data[STAGE_DATE_FIELDS[stage]] for stage in self.move.dated_stages}
        try:
            return project_move(
                project=self.instance,
                to_stage=self.move.to_stage,
                by=by,
                on_date=data[self.target_field],
                stage_dates=stage_dates,
                signing_event=data.get("signing_event"),
                note=data.get("note", ""),
                expected_version=self.expected_version,
            )
        except ValidationError as refusal:
            add_refusal(self, self._keyed_to_fields(refusal))
            return None

    def _keyed_to_fields(self, refusal: ValidationError) -> ValidationError:
        """The service names the move's own date ``date`` and the move ``to_stage``: put them on this form's fields."""
        if not hasattr(refusal, "error_dict"):
            return refusal
        rename = {"date": self.target_field, "to_stage": None}
        errors: dict = {}
        for key, value in refusal.error_dict.items():
            errors.setdefault(rename.get(key, key) or "__all__", []).extend(value)
        return ValidationError(errors)
