"""Importing targets from the sheet the city hands down (kind ``targets``), through the services.

One row per target: first year (and last year for a multi-year target), scope, the scope's name,
metric (by its Chinese or English label, or its key), target value, source and note. The chain is
matched by its code or name, the cluster likewise, the town by its name, the unit by its
normalised name. A row whose years, scope and metric already have a target changes that target's
value, source and note; otherwise a target is added. All or nothing, with a dry run
(``pinghu.imports``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.models import Chain, Cluster
from pinghu.imports import ChoiceWidget, DecimalWidget, ImportResource, IntegerWidget, column, normalise
from units.imports import UnitLookupWidget

from .choices import Metric, ScopeKind
from .models import Target
from .services import target_create, target_update

# Names a city's sheet gives the scopes and metrics besides their labels (the labels are matched too).
SCOPE_ALIASES = [
    (ScopeKind.CITY, "全市"),
    (ScopeKind.CITY, "平湖市"),
    (ScopeKind.TOWN, "镇街道"),
    (ScopeKind.UNIT, "单位"),
]
METRIC_ALIASES = [
    (Metric.SIGNED_PROJECTS, "签约项目数"),
    (Metric.SIGNED_INVESTMENT, "签约总投资"),
    (Metric.SIGNED_CNY_100M, "亿元以上项目"),
    (Metric.SIGNED_CNY_1BN, "10亿元以上项目"),
    (Metric.SIGNED_USD_100M, "超亿美元项目"),
    (Metric.FUNDS_IN_PLACE, "内资到位"),
    (Metric.FOREIGN_PAID_IN, "实际利用外资"),
    (Metric.PROJECTS_STARTED, "开工项目"),
    (Metric.PROJECTS_IN_PRODUCTION, "投产项目"),
    (Metric.SATURDAY_PERSON_TIMES, "周六招商日人次"),
    (Metric.VISITS, "招商走访"),
    (Metric.CHAIN_OUTPUT, "产业链产值"),
]
SCOPE_FIELDS = ("cluster", "chain", "town", "unit")


class TargetResource(ImportResource):
    """Targets as the city's sheet lists them, matched by years, scope and metric."""

    kind_label = _("targets")
    required = ("year_from", "scope_kind", "metric", "value")

    year_from = column("year_from", _("first year"), IntegerWidget(), help=_("The year, e.g. 2025."), aliases=["年度"])
    year_to = column(
        "year_to", _("last year"), IntegerWidget(), help=_("Only for a multi-year target, e.g. 2025 for 2023–2025.")
    )
    scope_kind = column(
        "scope_kind",
        _("target scope"),
        ChoiceWidget([*SCOPE_ALIASES, *ScopeKind.choices], blank=None),
        help=_("City, cluster, chain, town or responsible unit."),
    )
    scope_name = column(
        None,
        _("scope name"),
        help=_("The cluster's or chain's code or name, the town's name or the unit's name; empty for the city."),
        aliases=["对象"],
    )
    metric = column(
        "metric",
        _("metric"),
        ChoiceWidget([*METRIC_ALIASES, *Metric.choices], blank=None),
        help=_("The metric's label, e.g. 签约项目数 or 内资到位."),
        aliases=["指标"],
    )
    value = column("value", _("target value"), DecimalWidget(), help=_("In the metric's unit; above zero."))
    source = column("source", _("source document"), help=_("The document the target was handed down in."))
    note = column("note", _("note"))

    class Meta(ImportResource.Meta):
        model = Target
        fields = ("year_from", "year_to", "scope_kind", "scope_name", "metric", "value", "source", "note")

    def prepare(self, dataset) -> None:
        self.clusters = {}
        for cluster in Cluster.objects.all():
            self.clusters[normalise(cluster.code)] = self.clusters[normalise(cluster.name)] = cluster
        self.chains = {}
        for chain in Chain.objects.all():
            self.chains[normalise(chain.code)] = self.chains[normalise(chain.name)] = chain
        self.towns = {normalise(code): code for code in Town.values}
        self.towns.update({normalise(str(label)): code for code, label in Town.choices})
        self.units = UnitLookupWidget()
        self.units.load()
        self.existing = {self.key_of(target): target for target in Target.objects.all()}

    @staticmethod
    def key_of(target: Target) -> tuple:
        reference = {
            "cluster": target.cluster_id,
            "chain": target.chain_id,
            "town": target.town,
            "unit": target.unit_id,
        }
        scope = (reference[name] for name in SCOPE_FIELDS)
        return (target.year_from, target.year_to, target.scope_kind, *scope, target.metric)

    def scope_of(self, kind: str, name: str) -> dict:
        """The reference of a ``kind`` scope named ``name``; a ValueError says why not."""
        references = {"cluster": None, "chain": None, "town": "", "unit": None}
        key = normalise(name)
        if kind == ScopeKind.CITY:
            return references
        if not key:
            raise ValueError(gettext("Scope name: name the cluster, chain, town or unit of the target."))
        if kind == ScopeKind.CLUSTER:
            found = self.clusters.get(key)
        elif kind == ScopeKind.CHAIN:
            found = self.chains.get(key)
        elif kind == ScopeKind.TOWN:
            found = self.towns.get(key)
        else:
            try:
                found = self.units.lookup(name.strip())
            except ValueError as error:
                raise ValueError(gettext("Scope name: %(error)s") % {"error": error}) from error
        if found is None:
            raise ValueError(
                gettext("Scope name: unknown %(kind)s %(name)s.") % {"kind": ScopeKind(kind).label, "name": name}
            )
        references[kind] = found
        return references

    def row_key(self, row):
        year_from = IntegerWidget().clean(self.value(row, "year_from"))
        year_to = IntegerWidget().clean(self.value(row, "year_to")) or year_from
        kind = self.fields["scope_kind"].clean(row)
        scope = self.scope_of(kind, str(self.value(row, "scope_name") or ""))
        metric = self.fields["metric"].clean(row)
        ids = {name: getattr(value, "pk", value) for name, value in scope.items()}
        return (year_from, year_to, kind, *(ids[name] for name in SCOPE_FIELDS), metric)

    def describe_key(self, key) -> str:
        return gettext("years, scope and metric (%(years)s, %(scope)s, %(metric)s)") % {
            "years": key[0] if key[0] == key[1] else f"{key[0]}–{key[1]}",
            "scope": ScopeKind(key[2]).label,
            "metric": Metric(key[-1]).label,
        }

    def find(self, row):
        try:
            return self.existing.get(self.row_key(row))
        except (ValueError, ValidationError):
            return None  # the row's own error is reported when it is imported

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.year_to is None:
            instance.year_to = instance.year_from
        if "scope_kind" not in errors:
            try:
                scope = self.scope_of(instance.scope_kind, str(self.value(row, "scope_name") or ""))
            except ValueError as error:
                errors["scope_name"] = [str(error)]
            else:
                for name, value in scope.items():
                    setattr(instance, name, value)
        for name in ("source", "note"):
            if getattr(instance, name) is None:
                setattr(instance, name, "")
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        data = {name: getattr(instance, name) for name in ("value", "source", "note")}
        if is_create:
            keys = ("year_from", "year_to", "scope_kind", *SCOPE_FIELDS, "metric")
            saved = target_create(data={**data, **{name: getattr(instance, name) for name in keys}}, by=self.user)
            instance.pk = saved.pk
            return
        target_update(target=instance, data=data, expected_version=None, by=self.user)
