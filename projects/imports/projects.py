"""Importing projects: new ones through project_create, stage moves through transitions, signings by their rule."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.imports import EnterpriseIndex, chain_index
from pinghu.imports import (
    AMBIGUOUS,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    ImportResource,
    IntegerWidget,
    LookupWidget,
    chunks,
    column,
    normalise,
)
from units.imports import UnitLookupWidget

from ..choices import STAGE_DATE_FIELDS, ApprovalKind, ProjectLevel, ProjectSource, ProjectStage
from ..fields import PROJECT_COLUMNS, PROJECT_EXPORT_ONLY, imported
from ..models import Project
from ..models.milestones import MILESTONE_DATE_FIELDS
from ..services import (
    PROJECT_BATCH_CLEAN,
    PROJECT_RECORDED_FIELDS,
    project_create_many,
    project_import_save,
    project_prepare_new,
    project_update_many,
)
from .matching import MatchById, SigningEventWidget


class ProjectResource(MatchById, ImportResource):
    """Projects, with the columns of the project export."""

    kind_label = _("investment projects")
    required = ("name", "chain", "investor", "total_investment")
    export_only = tuple(PROJECT_COLUMNS[name] for name in PROJECT_EXPORT_ONLY)

    id = column(None, PROJECT_COLUMNS["id"], IntegerWidget(), help=_("As exported; leave empty for a new project."))
    name = column("name", PROJECT_COLUMNS["name"])
    chain = column("chain", PROJECT_COLUMNS["chain"], LookupWidget(_("chain")), help=_("The chain's name or code."))
    investor = column(
        "investor_id",
        PROJECT_COLUMNS["investor"],
        LookupWidget(_("enterprise")),
        help=_("The investing enterprise's name as on record (import enterprises first)."),
    )
    source = column("source", PROJECT_COLUMNS["source"], ChoiceWidget(ProjectSource.choices, blank=ProjectSource.OTHER))
    stage = column(
        "stage",
        PROJECT_COLUMNS["stage"],
        ChoiceWidget(ProjectStage.choices, blank=ProjectStage.LEAD),
        help=_("A change of stage is made as a stage change on the stage's date; the pipeline only moves forward."),
    )
    total_investment = column("total_investment", PROJECT_COLUMNS["total_investment"], DecimalWidget())
    foreign_investment = column("foreign_investment", PROJECT_COLUMNS["foreign_investment"], DecimalWidget())
    registered_capital = column("registered_capital", PROJECT_COLUMNS["registered_capital"], DecimalWidget())
    land_area = column("land_area", PROJECT_COLUMNS["land_area"], DecimalWidget())
    expected_output = column("expected_output", PROJECT_COLUMNS["expected_output"], DecimalWidget())
    expected_tax = column("expected_tax", PROJECT_COLUMNS["expected_tax"], DecimalWidget())
    is_capital_increase = column("is_capital_increase", PROJECT_COLUMNS["is_capital_increase"], BooleanWidget())
    town = column("town", PROJECT_COLUMNS["town"], ChoiceWidget(Town.choices))
    # Bands and levels (issue 16): a level (its name or code, empty for none) with the year it was listed.
    level = column(
        "level",
        PROJECT_COLUMNS["level"],
        ChoiceWidget(ProjectLevel.choices),
        help=_("省重大项目, 嘉兴市重点项目 or 平湖市重点项目; empty for none. Needs the level year."),
    )
    level_year = column("level_year", PROJECT_COLUMNS["level_year"], IntegerWidget(), help=_("e.g. 2025."))
    responsible_unit = column(
        "responsible_unit",
        PROJECT_COLUMNS["responsible_unit"],
        UnitLookupWidget(_("responsible unit"), required=False),
        help=_("The unit's name as the units list shows it (spaces and a leading 平湖市 ignored); may be empty."),
    )
    first_contact_date = column("first_contact_date", PROJECT_COLUMNS["first_contact_date"], DateWidget())
    signed_date = column("signed_date", PROJECT_COLUMNS["signed_date"], DateWidget())
    registered_date = column("registered_date", PROJECT_COLUMNS["registered_date"], DateWidget())
    construction_date = column("construction_date", PROJECT_COLUMNS["construction_date"], DateWidget())
    production_date = column("production_date", PROJECT_COLUMNS["production_date"], DateWidget())
    # Approval milestones (issue 16).
    project_code = column(
        "project_code", PROJECT_COLUMNS["project_code"], help=_("The project code, e.g. 2104-330482-04-01-123456.")
    )
    code_date = column("code_date", PROJECT_COLUMNS["code_date"], DateWidget())
    approval_kind = column(
        "approval_kind",
        PROJECT_COLUMNS["approval_kind"],
        ChoiceWidget(ApprovalKind.choices),
        help=_("Filing (备案) or approval (核准)."),
    )
    approval_date = column("approval_date", PROJECT_COLUMNS["approval_date"], DateWidget())
    land_supplied_date = column("land_supplied_date", PROJECT_COLUMNS["land_supplied_date"], DateWidget())
    construction_permit_date = column(
        "construction_permit_date", PROJECT_COLUMNS["construction_permit_date"], DateWidget()
    )
    capacity_date = column("capacity_date", PROJECT_COLUMNS["capacity_date"], DateWidget())
    # Not a column of the export: a row whose amounts are above their warning line is refused unless
    # this cell says they were checked (PINGHU_AMOUNT_WARNINGS); read by Project.clean().
    large_amounts_confirmed = column(
        "large_amounts_confirmed",
        _("amounts confirmed"),
        BooleanWidget(),
        help=_("Yes when the row's amounts above their warning line were checked; without it such a row is refused."),
    )
    signing_event = column(
        "signing_event",
        PROJECT_COLUMNS["signing_event"],
        SigningEventWidget(),
        help=_("The conference's name; its date must be the signed date."),
    )

    import_only = ("large_amounts_confirmed",)

    class Meta(ImportResource.Meta):
        model = Project
        clean_model_instances = False  # the services validate
        # No savepoint per row (two statements each): rows are only checked while read, and written
        # together after the last (``after_import``); a row that writes at once (a stage change, a
        # conference, a new project on hold) gets its savepoint from ``project_import_save``.
        use_bulk = True
        fields = (*imported(PROJECT_COLUMNS, PROJECT_EXPORT_ONLY), "large_amounts_confirmed")

    def prepare(self, dataset) -> None:
        firms = EnterpriseIndex()
        self.fields["investor"].widget = firms.widget(gettext("enterprise"))
        chains, chain_labels = chain_index()
        self.fields["chain"].widget.index, self.fields["chain"].widget.labels = chains, chain_labels
        self.fields["signing_event"].widget.load()
        self.fields["responsible_unit"].widget.load()
        self.fields["signing_event"].widget.date_header = self.fields["signed_date"].column_name
        self.existing_ids = {}
        projects = Project.objects.select_related("chain", "signing_event", "responsible_unit")
        for ids in chunks(self.ids(dataset)):
            self.existing_ids.update(projects.in_bulk(ids))
        # Candidates for the natural key: the projects of the file's investors, compared by normalised name.
        investors = set()
        for values in dataset:
            try:
                investors.add(self.fields["investor"].clean(dict(zip(dataset.headers, values, strict=False))))
            except ValueError:
                continue
        self.existing_keys = {}
        for chunk in chunks(investors):
            for project in projects.filter(investor_id__in=chunk):
                key = (normalise(project.name), project.investor_id)
                self.existing_keys[key] = AMBIGUOUS if key in self.existing_keys else project
        self.recorded = {}
        self.pending = []  # new projects, checked, written after the last row
        self.updated = []  # edited projects whose stage and conference stay, written after the last row

    def natural_key(self, row):
        return (normalise(self.value(row, "name")), self.fields["investor"].clean(row))

    def describe_natural_key(self, key) -> str:
        return gettext("name and investor (%(name)s, %(investor)s)") % {
            "name": key[0],
            "investor": self.fields["investor"].widget.render(key[1]),
        }

    def ambiguous(self) -> ValidationError:
        return ValidationError({"name": gettext("More than one project has this name and investor; give the ID.")})

    def find(self, row):
        found = super().find(row)
        if found is not None:
            self.recorded[found.pk] = {field: getattr(found, field) for field in PROJECT_RECORDED_FIELDS}
        return found

    def import_instance(self, instance, row, **kwargs):
        recorded = {field: getattr(instance, field) for field in self.KEPT_WHEN_BLANK} if instance.pk else {}
        super().import_instance(instance, row, **kwargs)
        # A blank date cell keeps the date on record (a list kept by hand must not erase dates).
        for field, value in recorded.items():
            if value is not None and getattr(instance, field) is None:
                setattr(instance, field, value)

    KEPT_WHEN_BLANK = ["first_contact_date", *STAGE_DATE_FIELDS.values(), *MILESTONE_DATE_FIELDS]

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create and instance.stage not in (ProjectStage.ON_HOLD, ProjectStage.DROPPED):
            # New projects are checked here, row by row, and written together after the last row.
            project_prepare_new(instance, by=self.user)
            instance.full_clean(**PROJECT_BATCH_CLEAN)
            self.pending.append(instance)
            return
        project_import_save(
            project=instance,
            recorded=None if is_create else self.recorded[instance.pk],
            by=self.user,
            batch=None if is_create else self.updated,
        )

    def after_import(self, dataset, result, **kwargs):
        if not result.has_errors() and not result.has_validation_errors():
            project_create_many(self.pending, by=self.user, reason=self.reason)
            fields = [
                each.attribute
                for each in self.get_import_fields()
                if each.attribute and each.attribute != "large_amounts_confirmed"
            ]
            project_update_many(self.updated, fields=fields, by=self.user, reason=self.reason)
