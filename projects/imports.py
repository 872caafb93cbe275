"""Importing projects and visits from Excel or CSV (see ``pinghu.imports``), through the services.

A project row is matched by its ID (as the export writes it), else by name and investor; a visit
by its ID, else by date, visited enterprise and host unit. New projects go through
``project_create``, stage changes through transitions, visits through ``visit_create`` and
``visit_update``: the same rules as the pages, the API and the admin. ``IMPORT_KINDS`` lists every
kind the command line and the admin offer, the enterprise kinds from ``chains`` included.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.imports import EnterpriseIndex, EnterpriseMetricResource, EnterpriseResource, chain_index, leader_index
from chains.models import Chain, Leader
from pinghu.imports import (
    AMBIGUOUS,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    ImportResource,
    IntegerWidget,
    LookupListWidget,
    LookupWidget,
    chunks,
    column,
    normalise,
)

from .choices import STAGE_DATE_FIELDS, ProjectSource, ProjectStage
from .models import InvestmentVisit, Project, SigningEvent
from .services import (
    PROJECT_BATCH_CLEAN,
    PROJECT_RECORDED_FIELDS,
    VISIT_BATCH_CLEAN,
    project_create_many,
    project_import_save,
    project_prepare_new,
    project_update_many,
    visit_create_many,
    visit_prepare_new,
    visit_update,
)


class _ById:
    """Rows the file names by ID or by a natural key: an ID that does not exist is the row's error.

    Subclasses give ``natural_key(row)``, ``describe_natural_key(key)``, ``ambiguous()`` and, in
    ``prepare``, ``existing_ids`` and ``existing_keys`` (natural key → record, or ``AMBIGUOUS``).
    """

    def ids(self, dataset) -> set[int]:
        ids = set()
        for values in dataset:
            try:
                value = IntegerWidget().clean(self.value(dict(zip(dataset.headers, values, strict=False)), "id"))
            except (ValueError, KeyError):
                continue
            if value is not None:
                ids.add(value)
        return ids

    def id_of(self, row) -> int | None:
        try:
            return IntegerWidget().clean(self.value(row, "id"))
        except ValueError as error:
            raise ValidationError({"id": str(error)}) from error

    def row_keys(self, row) -> list[tuple]:
        """The ID and the natural key: a record named twice in a file, once by each, is a repeat too."""
        keys = []
        try:
            number = self.id_of(row)
        except ValidationError:
            number = None
        if number is not None:
            keys.append(("ID", number))
        try:
            keys.append(self.natural_key(row))
        except ValueError:
            pass  # the row's own error is reported when it is imported
        return keys

    def row_key(self, row):
        number = self.id_of(row)
        return ("ID", number) if number is not None else self.natural_key(row)

    def describe_key(self, key) -> str:
        return f"ID {key[1]}" if key[0] == "ID" else self.describe_natural_key(key)

    def find(self, row):
        """The record the row names by ID, else by its natural key (``existing_keys``), or ``None``."""
        found, by_id = self.by_id(row)
        if by_id:
            return found
        try:
            found = self.existing_keys.get(self.natural_key(row))
        except ValueError:
            return None  # an unknown firm or a bad date is the row's own error
        if found is AMBIGUOUS:
            raise self.ambiguous()
        return found

    def by_id(self, row):
        number = self.id_of(row)
        if number is None:
            return None, False
        found = self.existing_ids.get(number)
        if found is None:
            raise ValidationError(
                {
                    "id": gettext("There is no %(kind)s with ID %(id)s; leave the ID empty for a new one.")
                    % {"kind": self.kind_label, "id": number}
                }
            )
        return found, True


class SigningEventWidget(LookupWidget):
    """A conference by its name; where several share it (one every spring), the one on the row's signed date."""

    date_header = ""  # the signed date's column, set by the resource

    def __init__(self):
        super().__init__(_("signing conference"), required=False)

    def load(self) -> None:
        self.by_name: dict[str, list[SigningEvent]] = {}
        for event in SigningEvent.objects.all():
            for key in {normalise(event.name), normalise(str(event))}:
                self.by_name.setdefault(key, []).append(event)

    def lookup(self, text: str, row=None):
        events = self.by_name.get(normalise(text), [])
        if len(events) > 1 and row is not None:
            try:
                signed = DateWidget().clean(row.get(self.date_header))
            except ValueError:
                signed = None  # the date's own error is reported
            events = [event for event in events if event.date == signed]
        self.index = {normalise(text): events[0] if len(events) == 1 else (AMBIGUOUS if events else None)}
        return super().lookup(text)

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        return self.lookup(text, row) if text else None


class ProjectResource(_ById, ImportResource):
    """Projects, with the columns of the project export."""

    kind_label = _("investment projects")
    required = ("name", "chain", "investor", "total_investment")
    export_only = (_("major project"), _("updated at"))

    id = column(None, "ID", IntegerWidget(), help=_("As exported; leave empty for a new project."))
    name = column("name", _("name"))
    chain = column("chain", _("chain"), LookupWidget(_("chain")), help=_("The chain's name or code."))
    investor = column(
        "investor_id",
        _("investor"),
        LookupWidget(_("enterprise")),
        help=_("The investing enterprise's name as on record (import enterprises first)."),
    )
    source = column("source", _("source"), ChoiceWidget(ProjectSource.choices, blank=ProjectSource.OTHER))
    stage = column(
        "stage",
        _("stage"),
        ChoiceWidget(ProjectStage.choices, blank=ProjectStage.LEAD),
        help=_("A change of stage is made as a stage change on the stage's date; the pipeline only moves forward."),
    )
    total_investment = column("total_investment", _("total investment (10k CNY)"), DecimalWidget())
    foreign_investment = column("foreign_investment", _("foreign investment (10k USD)"), DecimalWidget())
    registered_capital = column("registered_capital", _("registered capital (10k CNY)"), DecimalWidget())
    land_area = column("land_area", _("land (mu)"), DecimalWidget())
    expected_output = column("expected_output", _("expected annual output (10k CNY)"), DecimalWidget())
    expected_tax = column("expected_tax", _("expected annual tax (10k CNY)"), DecimalWidget())
    is_capital_increase = column("is_capital_increase", _("capital increase of an existing firm"), BooleanWidget())
    town = column("town", _("town"), ChoiceWidget(Town.choices))
    responsible_unit = column("responsible_unit", _("responsible unit"))
    first_contact_date = column("first_contact_date", _("first contact date"), DateWidget())
    signed_date = column("signed_date", _("signed date"), DateWidget())
    registered_date = column("registered_date", _("registered date"), DateWidget())
    construction_date = column("construction_date", _("construction start date"), DateWidget())
    production_date = column("production_date", _("production start date"), DateWidget())
    signing_event = column(
        "signing_event",
        _("signing conference"),
        SigningEventWidget(),
        help=_("The conference's name; its date must be the signed date."),
    )

    class Meta(ImportResource.Meta):
        model = Project
        clean_model_instances = False  # the services validate
        fields = (
            "id",
            "name",
            "chain",
            "investor",
            "source",
            "stage",
            "total_investment",
            "foreign_investment",
            "registered_capital",
            "land_area",
            "expected_output",
            "expected_tax",
            "is_capital_increase",
            "town",
            "responsible_unit",
            "first_contact_date",
            "signed_date",
            "registered_date",
            "construction_date",
            "production_date",
            "signing_event",
        )

    def prepare(self, dataset) -> None:
        firms = EnterpriseIndex()
        self.fields["investor"].widget = firms.widget(gettext("enterprise"))
        chains, chain_labels = chain_index()
        self.fields["chain"].widget.index, self.fields["chain"].widget.labels = chains, chain_labels
        self.fields["signing_event"].widget.load()
        self.fields["signing_event"].widget.date_header = self.fields["signed_date"].column_name
        self.existing_ids = {}
        projects = Project.objects.select_related("chain", "signing_event")
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

    KEPT_WHEN_BLANK = ["first_contact_date", *STAGE_DATE_FIELDS.values()]

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
            fields = [each.attribute for each in self.get_import_fields() if each.attribute]
            project_update_many(self.updated, fields=fields, by=self.user, reason=self.reason)


class VisitResource(_ById, ImportResource):
    """Visits with their leaders and chains, with the columns of the visit export."""

    kind_label = _("investment visits")
    required = ("date", "enterprise", "leaders", "host_unit", "purpose")
    export_only = (_("Saturday investment day"), _("recorded by"))

    id = column(None, "ID", IntegerWidget(), help=_("As exported; leave empty for a new visit."))
    date = column("date", _("date"), DateWidget(), help=_("E.g. 2025-03-01; not in the future."))
    enterprise = column("enterprise_id", _("visited enterprise"), LookupWidget(_("enterprise")))
    leaders = column(
        "leaders",
        _("leaders"),
        LookupListWidget(LookupWidget(_("leader")), Leader, required=True),
        help=_("Names separated by 、; write 姓名（单位） where two leaders share a name."),
    )
    chains = column(
        "chains",
        _("chains concerned"),
        LookupListWidget(LookupWidget(_("chain")), Chain),
        help=_("Chain names or codes separated by 、."),
    )
    host_unit = column("host_unit", _("host unit"))
    destination_city = column("destination_city", _("destination city"))
    purpose = column("purpose", _("purpose"))
    outcome = column("outcome", _("outcome"))
    next_step = column("next_step", _("next step"))
    follow_up_date = column("follow_up_date", _("follow-up due date"), DateWidget())

    class Meta(ImportResource.Meta):
        model = InvestmentVisit
        clean_model_instances = False  # the services validate
        fields = (
            "id",
            "date",
            "enterprise",
            "leaders",
            "chains",
            "host_unit",
            "destination_city",
            "purpose",
            "outcome",
            "next_step",
            "follow_up_date",
        )

    def prepare(self, dataset) -> None:
        self.pending = []
        firms = EnterpriseIndex()
        self.fields["enterprise"].widget = firms.widget(gettext("enterprise"))
        self.fields["leaders"].widget.lookup_widget.index = leader_index()
        self.fields["chains"].widget.lookup_widget.index = chain_index()[0]
        self.existing_ids = {}
        for ids in chunks(self.ids(dataset)):
            self.existing_ids.update(InvestmentVisit.objects.select_related("enterprise").in_bulk(ids))
        keys = []
        for values in dataset:
            try:
                keys.append(self.natural_key(dict(zip(dataset.headers, values, strict=False))))
            except ValueError:
                continue
        self.existing_keys = {}
        if keys:
            dates = [key[0] for key in keys]
            for enterprise_ids in chunks({key[1] for key in keys}):
                visits = InvestmentVisit.objects.select_related("enterprise").filter(
                    enterprise_id__in=enterprise_ids, date__range=(min(dates), max(dates))
                )
                for visit in visits:
                    key = (visit.date, visit.enterprise_id, normalise(visit.host_unit))
                    self.existing_keys[key] = AMBIGUOUS if key in self.existing_keys else visit
        self.firms = EnterpriseIndex.load({key[1] for key in keys})

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # The firm read with the file's others: printing the visit (in the report, or in Django's
            # message that an unsaved visit has no leaders yet) then costs no query.
            if instance.enterprise_id in self.firms:
                instance.enterprise = self.firms[instance.enterprise_id]

    def natural_key(self, row):
        date = self.fields["date"].clean(row)
        if date is None:
            raise ValueError("no date")  # the row's own error says so
        return (date, self.fields["enterprise"].clean(row), normalise(self.value(row, "host_unit")))

    def describe_natural_key(self, key) -> str:
        return gettext("date, enterprise and host unit (%(date)s, %(enterprise)s, %(unit)s)") % {
            "date": key[0],
            "enterprise": self.fields["enterprise"].widget.render(key[1]),
            "unit": key[2],
        }

    def ambiguous(self) -> ValidationError:
        return ValidationError(
            {"date": gettext("More than one visit has this date, enterprise and host unit; give the ID.")}
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        leaders = self.fields["leaders"].clean(row)
        chains = self.fields["chains"].clean(row) if str(self.fields["chains"].column_name) in row else None
        if is_create:
            # New visits are checked here, row by row, and written together after the last row.
            visit_prepare_new(instance, leaders=leaders, by=self.user)
            instance.full_clean(**VISIT_BATCH_CLEAN)
            self.pending.append((instance, leaders, chains or []))
        else:
            visit_update(
                visit=instance,
                leaders=leaders,
                chains=chains if chains is not None else list(instance.chains.all()),
                projects=list(instance.projects.all()),
            )

    def save_m2m(self, instance, row, **kwargs):
        """The services set the leaders and chains."""

    def after_import(self, dataset, result, **kwargs):
        if not result.has_errors() and not result.has_validation_errors():
            visit_create_many(self.pending, by=self.user, reason=self.reason)


IMPORT_KINDS: dict[str, type[ImportResource]] = {
    "enterprises": EnterpriseResource,
    "projects": ProjectResource,
    "visits": VisitResource,
    "metrics": EnterpriseMetricResource,
}
