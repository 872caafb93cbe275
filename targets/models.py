"""Targets (目标任务) handed down to the city, a cluster, a chain, a town or a responsible unit, and the
assessment weights (考核权重) of the weighted ranking score.

A target covers one year, or a span of years for a multi-year goal (the machine-tool chain's output
above 250亿元 by 2025). Its actual is computed, never stored (``targets.selectors``).
"""

import operator
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chains.choices import Town
from chains.models import Chain, Cluster
from pinghu.imports import normalise
from pinghu.models import TimeStampedModel
from pinghu.search import SearchSpec
from units.fields import unit_text_field

from .choices import Metric, ScopeKind
from .metrics import METRICS

YEAR_MIN = 2000
YEAR_MAX = 2100
# The scope kinds and the one reference each must carry (the others empty).
SCOPE_REFERENCE = {
    ScopeKind.CITY: None,
    ScopeKind.CLUSTER: "cluster",
    ScopeKind.CHAIN: "chain",
    ScopeKind.TOWN: "town",
    ScopeKind.UNIT: "unit",
}


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of ``value``, as ``get_<field>_display()`` gives it (the value itself when not a choice).

    Translates one label: ``get_<field>_display()`` hashes every choice's lazy label on each call (a
    translation each), 40 % of the time the targets' statistics endpoint spent serialising 85 targets.
    """
    return str(choices(value).label) if value in choices.values else value


def unit_key(name: str) -> str:
    """A unit's name as compared: full-width folded, spaces removed, case folded (``units.Unit.key``)."""
    return normalise(name)


def _empty(reference: str) -> Q:
    if reference == "unit":  # a unit record, or the name of one the bureau has still to map (units)
        return Q(unit__isnull=True, unit_text="")
    return Q(**{f"{reference}__isnull": True}) if reference in ("cluster", "chain") else Q(**{reference: ""})


def _scope_agrees() -> Q:
    """Exactly the reference of the target's scope kind is set."""
    condition = Q()
    for kind, reference in SCOPE_REFERENCE.items():
        required = Q()
        for other in ("cluster", "chain", "town", "unit"):
            required &= ~_empty(other) if other == reference else _empty(other)
        condition |= Q(scope_kind=kind) & required
    return condition


def _unsupported_pairs() -> Q:
    """Metric and scope-kind pairs without a definition (``targets.metrics``): a visit target by town."""
    pairs = []
    for metric, definition in METRICS.items():
        unsupported = [kind for kind in ScopeKind.values if not definition.supports(kind)]
        if unsupported:
            pairs.append(Q(metric=metric, scope_kind__in=unsupported))
    return reduce(operator.or_, pairs)


def _year_field(verbose_name) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )


class Target(TimeStampedModel):
    """A target (目标任务): for a span of years (one year: both equal), a scope, a metric and a value in its unit."""

    year_from = _year_field(_("first year"))
    year_to = _year_field(_("last year"))
    scope_kind = models.CharField(_("target scope"), max_length=8, choices=ScopeKind.choices)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, null=True, blank=True, related_name="targets", verbose_name=_("cluster")
    )
    chain = models.ForeignKey(
        Chain, on_delete=models.PROTECT, null=True, blank=True, related_name="targets", verbose_name=_("chain")
    )
    town = models.CharField(_("town"), max_length=16, choices=Town.choices, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("responsible unit"),
    )
    unit_text = unit_text_field(_("responsible unit as written"))
    metric = models.CharField(_("metric"), max_length=32, choices=Metric.choices)
    value = models.DecimalField(
        _("target value"),
        max_digits=16,
        decimal_places=2,
        help_text=_("In the metric's unit: projects, person-times, visits, 万元 or 万美元."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("set by"),
    )
    source = models.CharField(
        _("source document"), max_length=200, blank=True, help_text=_("The document the target was handed down in.")
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(verbose_name=_("target version"), verbose_name_plural=_("target versions"))
    search_spec = SearchSpec(text=("unit_text", "source", "note"), related=("unit", "chain"))

    class Meta:
        ordering = ["-year_from", "year_to", "scope_kind", "metric", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        indexes = [models.Index(fields=["year_from", "year_to"], name="targets_target_years_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="targets_target_value_positive",
                violation_error_message=_("Target value: a target must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")),
                name="targets_target_years_in_order",
                violation_error_message=_("Last year: cannot be before the first year."),
            ),
            models.CheckConstraint(
                condition=Q(year_from__gte=YEAR_MIN, year_to__lte=YEAR_MAX),
                name="targets_target_years_plausible",
                violation_error_message=_("Years: between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(scope_kind__in=ScopeKind.values) & Q(metric__in=Metric.values),
                name="targets_target_scope_metric_valid",
                violation_error_message=_("Scope and metric must be from their lists."),
            ),
            models.CheckConstraint(
                condition=Q(town="") | Q(town__in=Town.values),
                name="targets_target_town_valid",
                violation_error_message=_("Town: not a town of Pinghu."),
            ),
            models.CheckConstraint(
                condition=_scope_agrees(),
                name="targets_target_scope_reference",
                violation_error_message=_("Scope: give exactly the cluster, chain, town or unit the scope names."),
            ),
            models.CheckConstraint(
                condition=~_unsupported_pairs(),
                name="targets_target_metric_supports_scope",
                violation_error_message=_("Metric: this metric has no definition for this scope."),
            ),
            *[
                models.UniqueConstraint(
                    fields=["year_from", "year_to", "metric", *([reference] if reference else [])],
                    condition=Q(scope_kind=kind),
                    name=f"targets_target_unique_{kind.value}",
                    violation_error_message=_(
                        "A target for these years, this scope and this metric already exists; edit that one."
                    ),
                )
                for kind, reference in SCOPE_REFERENCE.items()
            ],
        ]

    def __str__(self) -> str:
        return f"{self.years_label} · {self.scope_label} · {self.get_metric_display()}"

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    @property
    def scope_label(self) -> str:
        if self.scope_kind == ScopeKind.CLUSTER and self.cluster_id:
            return str(self.cluster)
        if self.scope_kind == ScopeKind.CHAIN and self.chain_id:
            return str(self.chain)
        if self.scope_kind == ScopeKind.TOWN:
            return choice_label(Town, self.town)
        if self.scope_kind == ScopeKind.UNIT:
            return self.unit_name
        return str(ScopeKind.CITY.label)

    @property
    def metric_label(self) -> str:
        """``get_metric_display()``, for lists of many targets (``choice_label``)."""
        return choice_label(Metric, self.metric)

    @property
    def unit_name(self) -> str:
        """The unit's name, or the name still to map (``unit_text``); "" for other scopes."""
        return self.unit.name if self.unit_id else self.unit_text

    @property
    def definition(self):
        return METRICS[self.metric]

    @property
    def unit_of_measure(self):
        """The metric's unit (one metric, one unit)."""
        return METRICS[self.metric].unit

    def clean(self) -> None:
        """The value is above zero, the years in order, the scope's reference given, the metric defined for it."""
        super().clean()
        errors: dict[str, ValidationError] = {}
        if self.value is not None and self.value <= Decimal("0"):
            errors["value"] = ValidationError(
                _("Target value: a target must be greater than zero."), code="not_positive"
            )
        if self.year_from is not None and self.year_to is not None and self.year_to < self.year_from:
            errors["year_to"] = ValidationError(_("Last year: cannot be before the first year."), code="years_order")
        reference = SCOPE_REFERENCE.get(self.scope_kind)
        if self.scope_kind in SCOPE_REFERENCE:
            for other in ("cluster", "chain", "town", "unit"):
                attribute = f"{other}_id" if other in ("cluster", "chain", "unit") else other
                is_set = getattr(self, attribute) not in (None, "")
                if other == "unit" and self.unit_text:  # a name still to map keeps its legacy target valid
                    is_set = True
                if other == reference and not is_set:
                    errors[other] = ValidationError(
                        _("%(field)s: required for a target of this scope."),
                        code="reference_missing",
                        params={"field": self._meta.get_field(other).verbose_name},
                    )
                elif other != reference and is_set:
                    errors[other] = ValidationError(
                        _("%(field)s: leave empty for a target of this scope."),
                        code="reference_extra",
                        params={"field": self._meta.get_field(other).verbose_name},
                    )
        definition = METRICS.get(self.metric)
        if definition is not None and self.scope_kind and not definition.supports(self.scope_kind):
            errors["metric"] = ValidationError(
                _("Metric: %(metric)s has no definition by %(scope)s; set it for %(supported)s."),
                code="scope_unsupported",
                params={
                    "metric": definition.label,
                    "scope": ScopeKind(self.scope_kind).label,
                    "supported": "、".join(str(kind.label) for kind in ScopeKind if definition.supports(kind)),
                },
            )
        if errors:
            raise ValidationError(errors)


class AssessmentWeight(TimeStampedModel):
    """The weight (考核权重) of a metric in a year's weighted ranking score of towns and units."""

    year = _year_field(_("year"))
    metric = models.CharField(_("metric"), max_length=32, choices=Metric.choices)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0 leaves the metric out of the score; a metric without a weight for the year weighs 1."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("set by"),
    )

    history = HistoricalRecords(
        verbose_name=_("assessment weight version"), verbose_name_plural=_("assessment weight versions")
    )
    search_spec = SearchSpec(text=("metric",))

    class Meta:
        ordering = ["-year", "metric"]
        verbose_name = _("assessment weight")
        verbose_name_plural = _("assessment weights")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "metric"],
                name="targets_assessmentweight_unique_year_metric",
                violation_error_message=_("This metric already has a weight for this year; edit that one."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="targets_assessmentweight_weight_not_negative",
                violation_error_message=_("Weight: cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(metric__in=Metric.values),
                name="targets_assessmentweight_metric_valid",
                violation_error_message=_("Metric: not a metric of the list."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_metric_display()} · {self.weight}"
