"""Signing conferences (签约大会): recorded totals derived from their projects, announced totals kept beside them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel, amount_field
from pinghu.search import SearchSpec
from pinghu.text import with_note


class SigningEvent(TimeStampedModel):
    """A signing conference (签约大会).

    Its recorded totals are derived from the projects linked to it, never typed in; the totals the
    conference announced (公布) are kept beside them, since its projects may not all be on record.
    """

    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    announced_project_count = models.PositiveIntegerField(
        _("announced projects"),
        null=True,
        blank=True,
        help_text=_("Projects signed as announced at the conference (公布); empty if not announced."),
    )
    announced_investment = amount_field(
        _("announced total investment (10k CNY)"),
        help_text=_(
            "Total investment as announced at the conference (公布), in 万元 (122亿元 = 1,220,000 万元); "
            "empty if not announced."
        ),
    )

    history = HistoricalRecords()
    search_spec = SearchSpec(text=("name", "location", "description"))

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("signing conference")
        verbose_name_plural = _("signing conferences")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "date"],
                name="projects_signingevent_unique_name_date",
                violation_error_message=_("A signing conference with this name and date already exists."),
            ),
        ]

    def __str__(self) -> str:
        return with_note(self.name, f"{self.date:%Y-%m-%d}")
