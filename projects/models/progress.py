"""What happens to a project over time: its stage changes (written by project_transition) and follow-ups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel
from pinghu.plausibility import EARLIEST_DATE, date_errors

from ..choices import ProjectStage
from .pipeline import Project


class ProjectStageChange(TimeStampedModel):
    """One move of a project through the pipeline, the first one (from nothing) included."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("project")
    )
    from_stage = models.CharField(
        _("from stage"), max_length=16, choices=ProjectStage.choices, blank=True, help_text=_("Empty for the first.")
    )
    to_stage = models.CharField(_("to stage"), max_length=16, choices=ProjectStage.choices)
    at = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.TextField(_("note"), blank=True)

    # Kept so that a deleted project can be restored with its stage history (projects.restore).
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["project", "at"], name="projects_stagechange_proj_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_stage__in=ProjectStage.values) & Q(from_stage__in=[*ProjectStage.values, ""]),
                name="projects_stagechange_stages_valid",
                violation_error_message=_("Unknown stage."),
            ),
            models.CheckConstraint(
                condition=~Q(from_stage=F("to_stage")),
                name="projects_stagechange_moves",
                violation_error_message=_("A stage change must change the stage."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_from_stage_display() or '—'} → {self.get_to_stage_display()}"


class FollowUp(TimeStampedModel):
    """A note on a project's progress, with the next step and when it is due."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("project"))
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("author"),
    )
    note = models.TextField(_("note"))
    next_step = models.TextField(_("next step"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(date__gte=EARLIEST_DATE),
                name="projects_followup_date_from_2000",
                violation_error_message=_("Dates before 2000-01-01 are not accepted."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("date")),
                name="projects_followup_due_after_date",
                violation_error_message=_("The due date cannot be before the follow-up date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.date:%Y-%m-%d}"

    def clean(self) -> None:
        """A follow-up and its due date are not dated before 2000."""
        super().clean()
        errors = date_errors(self, ["date", "due_date"])
        if errors:
            raise ValidationError(errors)
