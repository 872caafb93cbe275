"""Importing visits: new ones written set-based through visit_create_many, edited ones through visit_update."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chains.imports import EnterpriseIndex, chain_index, leader_index
from chains.models import Chain, Leader
from pinghu.imports import (
    AMBIGUOUS,
    DateWidget,
    ImportResource,
    IntegerWidget,
    LookupListWidget,
    LookupWidget,
    chunks,
    column,
)
from units.imports import UnitLookupWidget

from ..fields import VISIT_COLUMNS, VISIT_EXPORT_ONLY, imported
from ..models import InvestmentVisit
from ..services import (
    VISIT_BATCH_CLEAN,
    visit_create_many,
    visit_prepare_new,
    visit_update,
)
from .matching import MatchById


class VisitResource(MatchById, ImportResource):
    """Visits with their leaders and chains, with the columns of the visit export."""

    kind_label = _("investment visits")
    required = ("date", "enterprise", "leaders", "host_unit", "purpose")
    export_only = tuple(VISIT_COLUMNS[name] for name in VISIT_EXPORT_ONLY)

    id = column(None, VISIT_COLUMNS["id"], IntegerWidget(), help=_("As exported; leave empty for a new visit."))
    date = column("date", VISIT_COLUMNS["date"], DateWidget(), help=_("E.g. 2025-03-01; not in the future."))
    enterprise = column("enterprise_id", VISIT_COLUMNS["enterprise"], LookupWidget(_("enterprise")))
    leaders = column(
        "leaders",
        VISIT_COLUMNS["leaders"],
        LookupListWidget(LookupWidget(_("leader")), Leader, required=True),
        help=_("Names separated by 、; write 姓名（单位） where two leaders share a name."),
    )
    chains = column(
        "chains",
        VISIT_COLUMNS["chains"],
        LookupListWidget(LookupWidget(_("chain")), Chain),
        help=_("Chain names or codes separated by 、."),
    )
    host_unit = column(
        "host_unit",
        VISIT_COLUMNS["host_unit"],
        UnitLookupWidget(_("host unit")),
        help=_("The unit's name as the units list shows it (spaces and a leading 平湖市 ignored)."),
    )
    destination_city = column("destination_city", VISIT_COLUMNS["destination_city"])
    purpose = column("purpose", VISIT_COLUMNS["purpose"])
    outcome = column("outcome", VISIT_COLUMNS["outcome"])
    next_step = column("next_step", VISIT_COLUMNS["next_step"])
    follow_up_date = column("follow_up_date", VISIT_COLUMNS["follow_up_date"], DateWidget())

    class Meta(ImportResource.Meta):
        model = InvestmentVisit
        clean_model_instances = False  # the services validate
        fields = imported(VISIT_COLUMNS, VISIT_EXPORT_ONLY)

    def prepare(self, dataset) -> None:
        self.pending = []
        firms = EnterpriseIndex()
        self.fields["enterprise"].widget = firms.widget(gettext("enterprise"))
        self.fields["leaders"].widget.lookup_widget.index = leader_index()
        self.fields["chains"].widget.lookup_widget.index = chain_index()[0]
        self.fields["host_unit"].widget.load()
        self.existing_ids = {}
        for ids in chunks(self.ids(dataset)):
            self.existing_ids.update(InvestmentVisit.objects.select_related("enterprise", "host_unit").in_bulk(ids))
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
                    key = (visit.date, visit.enterprise_id, visit.host_unit_id)
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
        unit = self.fields["host_unit"].clean(row)
        return (date, self.fields["enterprise"].clean(row), unit.pk if unit is not None else None)

    def describe_natural_key(self, key) -> str:
        return gettext("date, enterprise and host unit (%(date)s, %(enterprise)s, %(unit)s)") % {
            "date": key[0],
            "enterprise": self.fields["enterprise"].widget.render(key[1]),
            "unit": self.fields["host_unit"].widget.render(key[2]),
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
