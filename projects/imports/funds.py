"""Importing funds in place: one row per project and month, the project by its ID or its name, through the services.

A row updates the month's record when the project already has one (found by the record's ID as
exported, else by project and month) and adds it otherwise: a correction is an edit, never a second
row. All or nothing, with a dry run, like every import (``pinghu.imports``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pinghu.imports import (
    AMBIGUOUS,
    DateWidget,
    DecimalWidget,
    ImportResource,
    IntegerWidget,
    chunks,
    column,
    normalise,
)

from ..fields import FUNDS_COLUMNS
from ..models import Project, ProjectFunds, first_of_month
from ..services import project_funds_create, project_funds_update
from .matching import MatchById


class ProjectFundsResource(MatchById, ImportResource):
    """Monthly funds in place and actual foreign investment, with the columns of the funds export."""

    kind_label = _("funds in place records")
    required = ("month", "domestic_funds", "actual_foreign_investment")

    id = column(None, FUNDS_COLUMNS["id"], IntegerWidget(), help=_("As exported; leave empty for a new month."))
    project_ref = column(
        None, FUNDS_COLUMNS["project_id"], IntegerWidget(), help=_("The project's ID; or leave it empty and name it.")
    )
    project_name = column(
        None, FUNDS_COLUMNS["project"], help=_("The project's name as on record (used when the ID is empty).")
    )
    month = column("month", FUNDS_COLUMNS["month"], DateWidget(), help=_("Any day of the month, e.g. 2024-03-01."))
    domestic_funds = column("domestic_funds", FUNDS_COLUMNS["domestic_funds"], DecimalWidget(), help=_("万元, ≥ 0."))
    actual_foreign_investment = column(
        "actual_foreign_investment",
        FUNDS_COLUMNS["actual_foreign_investment"],
        DecimalWidget(),
        help=_("万美元 actually paid in (not contracted), ≥ 0."),
    )
    source_note = column("source_note", FUNDS_COLUMNS["source_note"], help=_("E.g. 商务局外资统计."))

    class Meta(ImportResource.Meta):
        model = ProjectFunds
        clean_model_instances = False  # the services validate
        fields = (
            "id",
            "project_ref",
            "project_name",
            "month",
            "domestic_funds",
            "actual_foreign_investment",
            "source_note",
        )

    def prepare(self, dataset) -> None:
        rows = [dict(zip(dataset.headers, values, strict=False)) for values in dataset]
        self.existing_ids = {}
        for ids in chunks(self.ids(dataset)):
            self.existing_ids.update(ProjectFunds.objects.select_related("project").in_bulk(ids))
        project_ids, names = set(), set()
        for row in rows:
            try:
                number = IntegerWidget().clean(self.value(row, "project_ref"))
            except ValueError:
                number = None
            if number is not None:
                project_ids.add(number)
            elif self.value(row, "project_name"):
                names.add(normalise(str(self.value(row, "project_name"))))
        self.projects_by_id = {}
        for ids in chunks(project_ids):
            self.projects_by_id.update(Project.objects.in_bulk(ids))
        self.projects_by_name = {}
        for project in Project.objects.only("pk", "name").filter(name__in=self._names(rows)):
            key = normalise(project.name)
            if key in names:
                self.projects_by_name[key] = AMBIGUOUS if key in self.projects_by_name else project
        self.existing_keys = {}
        known = {project.pk for project in self.projects_by_id.values()} | {
            project.pk for project in self.projects_by_name.values() if project is not AMBIGUOUS
        }
        for ids in chunks(known):
            for funds in ProjectFunds.objects.select_related("project").filter(project_id__in=ids):
                self.existing_keys[(funds.project_id, funds.month)] = funds

    def _names(self, rows) -> set[str]:
        return {str(self.value(row, "project_name")).strip() for row in rows if self.value(row, "project_name")}

    def project_of(self, row) -> Project:
        """The row's project: by its ID, else by its name; a ValueError says why not."""
        try:
            number = IntegerWidget().clean(self.value(row, "project_ref"))
        except ValueError as error:
            raise ValueError(str(error)) from error
        if number is not None:
            found = self.projects_by_id.get(number)
            if found is None:
                raise ValueError(gettext("Project ID: there is no project with ID %(id)s.") % {"id": number})
            return found
        name = str(self.value(row, "project_name") or "").strip()
        if not name:
            raise ValueError(gettext("Project: give the project's ID or its name."))
        found = self.projects_by_name.get(normalise(name))
        if found is AMBIGUOUS:
            raise ValueError(
                gettext("Project: more than one project is called %(name)s; give its ID.") % {"name": name}
            )
        if found is None:
            raise ValueError(gettext("Project: unknown project %(name)s.") % {"name": name})
        return found

    def natural_key(self, row):
        month = self.fields["month"].clean(row)
        if month is None:
            raise ValueError("no month")  # the row's own error says so
        return (self.project_of(row).pk, first_of_month(month))

    def describe_natural_key(self, key) -> str:
        return gettext("project and month (%(project)s, %(month)s)") % {
            "project": key[0],
            "month": key[1].strftime("%Y-%m"),
        }

    def ambiguous(self) -> ValidationError:  # a project and month name one record: never ambiguous
        return ValidationError({"month": gettext("More than one record has this project and month; give the ID.")})

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            project = self.project_of(row)
        except ValueError as error:
            errors["project"] = [str(error)]
        else:
            if instance.pk is None:
                instance.project = project
            elif instance.project_id != project.pk:
                errors["project"] = [gettext("Project: a record keeps its project; add a new row for another.")]
        if instance.month is not None:
            instance.month = first_of_month(instance.month)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            saved = project_funds_create(
                project=instance.project,
                month=instance.month,
                domestic_funds=instance.domestic_funds,
                actual_foreign_investment=instance.actual_foreign_investment,
                source_note=instance.source_note or "",
                by=self.user,
            )
            instance.pk = saved.pk
            return
        data = {name: getattr(instance, name) for name in ("domestic_funds", "actual_foreign_investment")}
        data["source_note"] = instance.source_note or ""
        project_funds_update(funds=instance, data=data, expected_version=None, by=self.user)
