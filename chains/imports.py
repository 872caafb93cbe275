"""Importing enterprises and their annual per-mu figures from Excel or CSV (see ``pinghu.imports``).

Enterprises are matched by unified social credit code, else by exact normalised name (full-width
and half-width forms and spaces do not count: ``chains.names``, the rule the forms share).
"有限公司" and "有限责任公司" are different legal names: never matched to each other, but flagged
in the report. Chains are matched by code or name.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pinghu.imports import (
    AMBIGUOUS,
    BooleanWidget,
    ChoiceWidget,
    DecimalWidget,
    ImportResource,
    IntegerWidget,
    LookupWidget,
    TextWidget,
    chunks,
    column,
    normalise,
)

from .choices import Ownership, SrdiLevel, Town
from .models import Chain, Enterprise, EnterpriseAnnualMetric, Leader
from .names import firm_name_key, firm_name_variant_key
from .selectors import near_name_hint
from .validators import normalize_credit_code

CREDIT_CODE_HEADER = _("unified social credit code")


def _add(index: dict, key: str, item) -> None:
    if not key:
        return
    if key in index and index[key] != item:
        index[key] = AMBIGUOUS
    else:
        index[key] = item


class EnterpriseIndex:
    """Every enterprise's normalised name and credit code → its primary key, read in one query."""

    def __init__(self):
        self.by_name: dict = {}
        self.by_code: dict = {}
        self.labels: dict[int, str] = {}
        rows = Enterprise.objects.values_list("pk", "name", "name_key", "credit_code")
        for pk, name, key, code in rows.iterator(chunk_size=5000):
            _add(self.by_name, key, pk)
            if code:
                self.by_code[code] = pk
            self.labels[pk] = name

    @staticmethod
    def load(pks) -> dict[int, Enterprise]:
        """The enterprises of these primary keys, read in chunks: the rows a file names, in a few queries."""
        firms = {}
        for chunk in chunks(pks):
            firms.update(Enterprise.objects.in_bulk(chunk))
        return firms

    def near_name(self, name: str) -> str | None:
        """An existing firm whose name differs from ``name`` only by 有限公司/有限责任公司."""
        variant = firm_name_variant_key(name)
        pk = self.by_name.get(variant) if variant else None
        return self.labels.get(pk) if pk not in (None, AMBIGUOUS) else None

    def hint(self, name: str) -> str:
        near = self.near_name(name)
        if near:
            return near_name_hint(near)
        return gettext("Import the enterprise first (kind: enterprises).")

    def widget(self, describe, *, required: bool = True, code_header=None) -> EnterpriseWidget:
        widget = EnterpriseWidget(describe, required=required, hint=self.hint, labels=self.labels)
        widget.index = self.by_name
        widget.codes = self.by_code
        widget.code_header = code_header
        return widget


class EnterpriseWidget(LookupWidget):
    """An enterprise by credit code (from ``code_header``'s column, when the row has one), else by name."""

    codes: dict = {}
    code_header = None

    def clean(self, value, row=None, **kwargs):
        code = normalize_credit_code(str(row.get(str(self.code_header)) or "")) if row and self.code_header else None
        if code:
            if code in self.codes:
                return self.codes[code]
            if not value:
                raise ValueError(gettext("No enterprise has the credit code %(code)s.") % {"code": code})
        return super().clean(value, row, **kwargs)


def chain_index() -> tuple[dict, dict]:
    """Chains by normalised code and name → the chain (eight rows), and their labels."""
    index, labels = {}, {}
    for chain in Chain.objects.all():
        _add(index, normalise(chain.code), chain)
        _add(index, normalise(chain.name), chain)
        labels[chain.pk] = chain.name
    return index, labels


def leader_index() -> dict:
    """Leaders by name, and by "name（unit）" or "name（title）" for names two leaders share."""
    index: dict = {}
    for leader in Leader.objects.select_related("unit"):
        _add(index, normalise(leader.name), leader)
        for detail in (leader.unit.name if leader.unit_id else leader.unit_text, leader.title):
            if detail:
                _add(index, normalise(f"{leader.name}（{detail}）"), leader)
        _add(index, normalise(str(leader)), leader)
    return index


class CreditCodeWidget(TextWidget):
    """A credit code as typed (spaces, lower case); an empty cell is no code (NULL), as on record."""

    def clean(self, value, row=None, **kwargs):
        return normalize_credit_code(super().clean(value, row, **kwargs))


class EnterpriseResource(ImportResource):
    """Enterprises, with the columns of the enterprise export."""

    kind_label = _("enterprises")
    required = ("name",)

    name = column("name", _("name"), help=_("The registered name, e.g. 浙江某某有限公司."))
    short_name = column("short_name", _("short name"))
    credit_code = column(
        "credit_code",
        CREDIT_CODE_HEADER,
        CreditCodeWidget(),
        help=_("18 characters; matched first. Leave empty for firms registered outside mainland China."),
    )
    ownership = column("ownership", _("ownership"), ChoiceWidget(Ownership.choices))
    country = column("country", _("country or region"))
    # Unknown is not "no": an empty cell or 未知 stores unknown.
    fortune500 = column(
        "fortune500",
        _("Fortune Global 500"),
        BooleanWidget(unknown=True),
        help=_("是, 否, or 未知 (or empty) if unknown."),
    )
    industry_leader = column(
        "industry_leader",
        _("international industry leader"),
        BooleanWidget(unknown=True),
        help=_("是, 否, or 未知 (or empty) if unknown."),
    )
    srdi_level = column(
        "srdi_level",
        _("SRDI (专精特新) level"),
        ChoiceWidget(SrdiLevel.choices, unknown=True),
        help=_("A level, 无 (none), or 未知 (or empty) if unknown."),
    )
    above_size = column(
        "above_size",
        _("above designated size"),
        BooleanWidget(unknown=True),
        help=_("是, 否, or 未知 (or empty) if unknown."),
    )
    in_pinghu = column(
        "in_pinghu", _("located in Pinghu"), BooleanWidget(default=True), help=_("是 or 否; empty means 是.")
    )
    town = column("town", _("town"), ChoiceWidget(Town.choices))
    address = column("address", _("address"))
    # Not a column of the export: a name whose other company form (有限公司/有限责任公司) is recorded is
    # refused, naming the recorded firm, unless this cell says it is another firm (Enterprise.clean()).
    near_name_confirmed = column(
        "near_name_confirmed",
        _("It is another firm"),
        BooleanWidget(),
        help=_("是 only for a firm whose name differs from a recorded one only by 有限公司/有限责任公司."),
    )

    class Meta(ImportResource.Meta):
        model = Enterprise
        fields = (
            "name",
            "short_name",
            "credit_code",
            "ownership",
            "country",
            "fortune500",
            "industry_leader",
            "srdi_level",
            "above_size",
            "in_pinghu",
            "town",
            "address",
            "near_name_confirmed",
        )

    def prepare(self, dataset) -> None:
        self.existing = EnterpriseIndex()
        seen: dict[str, tuple[int, str]] = {}
        for number, values in zip(self.row_numbers, dataset, strict=False):
            row = dict(zip(dataset.headers, values, strict=False))
            name = str(row.get(str(self.fields["name"].column_name)) or "")
            key = firm_name_key(name)
            if not key:
                continue
            try:
                confirmed = BooleanWidget().clean(row.get(str(self.fields["near_name_confirmed"].column_name)))
            except ValueError:
                confirmed = False  # the row's own check names the cell
            if not confirmed:
                # Refused by the row's check, which names the recorded firm (no warning to add).
                seen.setdefault(key, (number, name))
                continue
            near = self.existing.near_name(name) if key not in self.existing.by_name else None
            variant = firm_name_variant_key(name)
            if near:
                self.warnings.append(
                    gettext(
                        "Row %(row)d: %(name)s and the existing %(near)s differ only in 有限公司/有限责任公司; "
                        "they are imported as two different firms."
                    )
                    % {"row": number, "name": name, "near": near}
                )
            elif variant in seen:
                self.warnings.append(
                    gettext(
                        "Rows %(first)d and %(row)d: %(first_name)s and %(name)s differ only in "
                        "有限公司/有限责任公司; they are imported as two different firms."
                    )
                    % {"first": seen[variant][0], "first_name": seen[variant][1], "row": number, "name": name}
                )
            seen.setdefault(key, (number, name))
        matched = (self._matched(dict(zip(dataset.headers, values, strict=False))) for values in dataset)
        self.firms = EnterpriseIndex.load({pk for pk in matched if pk not in (None, AMBIGUOUS)})

    def _code(self, row) -> str | None:
        return normalize_credit_code(str(self.value(row, "credit_code") or ""))

    def row_keys(self, row):
        # A firm is the same whether a row gives its code, its normalised name or both.
        code, name = self._code(row), firm_name_key(self.value(row, "name"))
        return [key for key in (("code", code), ("name", name)) if key[1]]

    def describe_key(self, key) -> str:
        if key[0] == "code":
            return gettext("credit code %(code)s") % {"code": key[1]}
        return gettext("name %(name)s") % {"name": key[1]}

    def _matched(self, row):
        """The primary key of the firm on record the row names (by code, else by name), ``AMBIGUOUS`` or ``None``."""
        code = self._code(row)
        pk = self.existing.by_code.get(code) if code else None
        return pk if pk is not None else self.existing.by_name.get(firm_name_key(self.value(row, "name")))

    def find(self, row):
        pk = self._matched(row)
        if pk is AMBIGUOUS:
            raise ValidationError(
                {
                    "name": gettext(
                        "More than one enterprise on record has this name (ignoring full-width forms and spaces); "
                        "give its unified social credit code."
                    )
                }
            )
        return None if pk is None else self.firms[pk]

    def import_instance(self, instance, row, **kwargs):
        original_name, original_code = instance.name, instance.credit_code
        super().import_instance(instance, row, **kwargs)
        # A name matched after normalising (full-width brackets, spaces) keeps the form on record.
        if original_name and firm_name_key(original_name) == firm_name_key(instance.name):
            instance.name = original_name
        # A blank code cell keeps the code on record: a list kept by name must not erase codes.
        if original_code and not instance.credit_code:
            instance.credit_code = original_code


class EnterpriseMetricResource(ImportResource):
    """An enterprise's figures for one year, with the columns of the per-mu export; matched by firm and year."""

    kind_label = _("enterprise annual metrics")
    required = ("enterprise", "year", "land_area", "tax_paid", "industrial_output", "revenue", "employees")
    # Derived in the database, or the firm's own data: written by the export, not imported.
    export_only = (
        "ID",
        _("town"),
        _("tax per mu (10k CNY/mu)"),
        _("output per mu (10k CNY/mu)"),
        _("energy per output (tce/10k CNY)"),
        _("grade"),
        _("rank"),
    )

    enterprise = column(
        "enterprise_id",
        _("enterprise"),
        LookupWidget(_("enterprise")),
        help=_("The enterprise's name as on record; the credit code, if given, is used first."),
    )
    credit_code = column(None, CREDIT_CODE_HEADER)
    year = column("year", _("year"), IntegerWidget())
    land_area = column("land_area", _("land (mu)"), DecimalWidget(), help=_("In 亩, more than 0."))
    tax_paid = column("tax_paid", _("tax paid (10k CNY)"), DecimalWidget(), help=_("In 万元."))
    industrial_output = column("industrial_output", _("industrial output (10k CNY)"), DecimalWidget())
    revenue = column("revenue", _("revenue (10k CNY)"), DecimalWidget())
    energy_use = column("energy_use", _("energy use (tonnes of standard coal)"), DecimalWidget())
    employees = column("employees", _("employees"), IntegerWidget())
    rd_spending = column("rd_spending", _("R&D spending (10k CNY)"), DecimalWidget())

    class Meta(ImportResource.Meta):
        model = EnterpriseAnnualMetric
        fields = (
            "enterprise",
            "credit_code",
            "year",
            "land_area",
            "tax_paid",
            "industrial_output",
            "revenue",
            "energy_use",
            "employees",
            "rd_spending",
        )

    def prepare(self, dataset) -> None:
        firms = EnterpriseIndex()
        self.fields["enterprise"].widget = firms.widget(gettext("enterprise"), code_header=CREDIT_CODE_HEADER)
        enterprise_ids = set()
        for values in dataset:
            row = dict(zip(dataset.headers, values, strict=False))
            try:
                enterprise_ids.add(self.fields["enterprise"].clean(row))
            except ValueError:
                continue
        self.existing = {}
        metrics = EnterpriseAnnualMetric.objects.select_related("enterprise")
        for chunk in chunks(enterprise_ids):
            for metric in metrics.filter(enterprise_id__in=chunk):
                self.existing[(metric.enterprise_id, metric.year)] = metric
        self.firms = EnterpriseIndex.load(enterprise_ids)

    def before_save_instance(self, instance, row, **kwargs):
        # The firm read with the file's others, so that naming the row in the report costs no query.
        instance.enterprise = self.firms.get(instance.enterprise_id, instance.enterprise)

    def row_key(self, row):
        year = IntegerWidget().clean(self.value(row, "year"))
        return None if year is None else (self.fields["enterprise"].clean(row), year)

    def describe_key(self, key) -> str:
        return gettext("enterprise and year (%(enterprise)s, %(year)s)") % {
            "enterprise": self.fields["enterprise"].widget.render(key[0]),
            "year": key[1],
        }

    def find(self, row):
        try:
            return self.existing.get(self.row_key(row))
        except ValueError:
            return None
