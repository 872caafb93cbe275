"""Importing enterprises and their annual per-mu figures from Excel or CSV (see ``pinghu.imports``).

Enterprises are matched by unified social credit code, else by exact normalised name (full-width
and half-width forms and spaces do not count). "有限公司" and "有限责任公司" are different legal
names: never matched to each other, but flagged in the report. Chains are matched by code or name.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pinghu.imports import (
    AMBIGUOUS,
    BooleanWidget,
    ChoiceWidget,
    DecimalWidget,
    ImportResource,
    IntegerWidget,
    LookupWidget,
    TextWidget,
    column,
    company_form_variant,
    normalise,
)

from .choices import Ownership, SrdiLevel, Town
from .models import Chain, Enterprise, EnterpriseAnnualMetric, Leader
from .validators import normalize_credit_code

CREDIT_CODE_HEADER = _lazy("unified social credit code")


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
        for pk, name, code in Enterprise.objects.values_list("pk", "name", "credit_code").iterator(chunk_size=5000):
            _add(self.by_name, normalise(name), pk)
            if code:
                self.by_code[code] = pk
            self.labels[pk] = name

    def near_name(self, name: str) -> str | None:
        """An existing firm whose name differs from ``name`` only by 有限公司/有限责任公司."""
        variant = company_form_variant(normalise(name))
        pk = self.by_name.get(variant) if variant else None
        return self.labels.get(pk) if pk not in (None, AMBIGUOUS) else None

    def hint(self, name: str) -> str:
        near = self.near_name(name)
        if near:
            return _(
                "%(near)s exists, which differs only in 有限公司/有限责任公司; these are different legal names: "
                "use that name if it is the same firm."
            ) % {"near": near}
        return _("Import the enterprise first (kind: enterprises).")

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
                raise ValueError(_("No enterprise has the credit code %(code)s.") % {"code": code})
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
    for leader in Leader.objects.all():
        _add(index, normalise(leader.name), leader)
        for detail in (leader.unit, leader.title):
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

    kind_label = _lazy("enterprises")
    required = ("name",)

    name = column("name", _lazy("name"), help=_lazy("The registered name, e.g. 浙江某某有限公司."))
    short_name = column("short_name", _lazy("short name"))
    credit_code = column(
        "credit_code",
        CREDIT_CODE_HEADER,
        CreditCodeWidget(),
        help=_lazy("18 characters; matched first. Leave empty for firms registered outside mainland China."),
    )
    ownership = column("ownership", _lazy("ownership"), ChoiceWidget(Ownership.choices))
    country = column("country", _lazy("country or region"))
    fortune500 = column("fortune500", _lazy("Fortune Global 500"), BooleanWidget(), help=_lazy("是 or 否."))
    srdi_level = column(
        "srdi_level", _lazy("SRDI (专精特新) level"), ChoiceWidget(SrdiLevel.choices, blank=SrdiLevel.NONE)
    )
    above_size = column("above_size", _lazy("above designated size"), BooleanWidget(), help=_lazy("是 or 否."))
    in_pinghu = column(
        "in_pinghu", _lazy("located in Pinghu"), BooleanWidget(default=True), help=_lazy("是 or 否; empty means 是.")
    )
    town = column("town", _lazy("town"), ChoiceWidget(Town.choices))
    address = column("address", _lazy("address"))

    class Meta(ImportResource.Meta):
        model = Enterprise
        fields = (
            "name",
            "short_name",
            "credit_code",
            "ownership",
            "country",
            "fortune500",
            "srdi_level",
            "above_size",
            "in_pinghu",
            "town",
            "address",
        )

    def prepare(self, dataset) -> None:
        self.existing = EnterpriseIndex()
        self.firms = {}
        seen: dict[str, tuple[int, str]] = {}
        for number, values in zip(self.row_numbers, dataset, strict=False):
            name = str(dict(zip(dataset.headers, values, strict=False)).get(str(self.fields["name"].column_name)) or "")
            key = normalise(name)
            if not key:
                continue
            near = self.existing.near_name(name) if key not in self.existing.by_name else None
            variant = company_form_variant(key)
            if near:
                self.warnings.append(
                    _(
                        "Row %(row)d: %(name)s and the existing %(near)s differ only in 有限公司/有限责任公司; "
                        "they are imported as two different firms."
                    )
                    % {"row": number, "name": name, "near": near}
                )
            elif variant in seen:
                self.warnings.append(
                    _(
                        "Rows %(first)d and %(row)d: %(first_name)s and %(name)s differ only in "
                        "有限公司/有限责任公司; they are imported as two different firms."
                    )
                    % {"first": seen[variant][0], "first_name": seen[variant][1], "row": number, "name": name}
                )
            seen.setdefault(key, (number, name))

    def _code(self, row) -> str | None:
        return normalize_credit_code(str(self.value(row, "credit_code") or ""))

    def row_key(self, row):
        code = self._code(row)
        return ("code", code) if code else ("name", normalise(self.value(row, "name")))

    def describe_key(self, key) -> str:
        return (_("credit code %(code)s") if key[0] == "code" else _("name %(code)s")) % {"code": key[1]}

    def find(self, row):
        code = self._code(row)
        pk = self.existing.by_code.get(code) if code else None
        if pk is None:
            pk = self.existing.by_name.get(normalise(self.value(row, "name")))
        if pk in (None, AMBIGUOUS):
            return None
        return Enterprise.objects.get(pk=pk)

    def import_instance(self, instance, row, **kwargs):
        original_name = instance.name
        super().import_instance(instance, row, **kwargs)
        # A name matched after normalising (full-width brackets, spaces) keeps the form on record.
        if original_name and normalise(original_name) == normalise(instance.name):
            instance.name = original_name


class EnterpriseMetricResource(ImportResource):
    """An enterprise's figures for one year, with the columns of the per-mu export; matched by firm and year."""

    kind_label = _lazy("enterprise annual metrics")
    required = ("enterprise", "year", "land_area", "tax_paid", "industrial_output", "revenue", "employees")
    # Derived in the database, or the firm's own data: written by the export, not imported.
    export_only = (
        "ID",
        _lazy("town"),
        _lazy("tax per mu (10k CNY/mu)"),
        _lazy("output per mu (10k CNY/mu)"),
        _lazy("energy per output (tce/10k CNY)"),
        _lazy("grade"),
        _lazy("rank"),
    )

    enterprise = column(
        "enterprise_id",
        _lazy("enterprise"),
        LookupWidget(_lazy("enterprise")),
        help=_lazy("The enterprise's name as on record; the credit code, if given, is used first."),
    )
    credit_code = column(None, CREDIT_CODE_HEADER)
    year = column("year", _lazy("year"), IntegerWidget())
    land_area = column("land_area", _lazy("land (mu)"), DecimalWidget(), help=_lazy("In 亩, more than 0."))
    tax_paid = column("tax_paid", _lazy("tax paid (10k CNY)"), DecimalWidget(), help=_lazy("In 万元."))
    industrial_output = column("industrial_output", _lazy("industrial output (10k CNY)"), DecimalWidget())
    revenue = column("revenue", _lazy("revenue (10k CNY)"), DecimalWidget())
    energy_use = column("energy_use", _lazy("energy use (tonnes of standard coal)"), DecimalWidget())
    employees = column("employees", _lazy("employees"), IntegerWidget())
    rd_spending = column("rd_spending", _lazy("R&D spending (10k CNY)"), DecimalWidget())

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
        self.fields["enterprise"].widget = firms.widget(_("enterprise"), code_header=CREDIT_CODE_HEADER)
        enterprise_ids = set()
        for values in dataset:
            row = dict(zip(dataset.headers, values, strict=False))
            try:
                enterprise_ids.add(self.fields["enterprise"].clean(row))
            except ValueError:
                continue
        self.existing = {}
        ids = sorted(enterprise_ids)
        for start in range(0, len(ids), 1000):
            for metric in EnterpriseAnnualMetric.objects.filter(enterprise_id__in=ids[start : start + 1000]):
                self.existing[(metric.enterprise_id, metric.year)] = metric

    def row_key(self, row):
        year = IntegerWidget().clean(self.value(row, "year"))
        return (self.fields["enterprise"].clean(row), year)

    def describe_key(self, key) -> str:
        return _("enterprise and year (%(enterprise)s, %(year)s)") % {
            "enterprise": self.fields["enterprise"].widget.render(key[0]),
            "year": key[1],
        }

    def find(self, row):
        try:
            return self.existing.get(self.row_key(row))
        except ValueError:
            return None
