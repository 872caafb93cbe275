"""Numbers as people read them: grouped thousands and amounts with their unit, on the pages and in the admin."""

from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from pinghu import figures
from pinghu.forms import bootstrap
from pinghu.permissions import Role
from tests.factories import EnterpriseAnnualMetricFactory, ProjectFactory, SigningEventFactory, UserFactory


def render(source: str, **context) -> str:
    return Template("{% load pinghu_tags %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_numbers_are_grouped_in_both_languages(language):
    with translation.override(language):
        assert figures.grouped(Decimal("39545650.5")) == "39,545,650.50"
        assert figures.grouped(Decimal("566.666700000000")) == "566.67"
        assert figures.grouped(1234567) == "1,234,567"
        assert figures.grouped(Decimal("0.00125"), 4) == "0.0013"
        assert figures.grouped(Decimal("1200.5000"), None) == "1,200.5"
        assert figures.grouped(None) == "—"
        assert render("{{ x|number }} {{ n|number:0 }} {{ y|yi }}", x=1234.5, n=12345, y=Decimal("39545650")) == (
            "1,234.50 12,345 3,954.57"
        )


def test_amounts_carry_their_unit_in_each_language():
    value = Decimal("1234567.8")
    with translation.override("en"):
        assert figures.amount(value) == "1,234,567.80 10k CNY"
        assert figures.amount(value, "usd") == "1,234,567.80 10k USD"
        assert figures.amount(value, "yi") == "123.46 100M CNY"
        assert render('{{ v|amount }} · {{ v|amount:"usd" }}', v=value) == "1,234,567.80 10k CNY · 1,234,567.80 10k USD"
    with translation.override("zh-hans"):
        assert figures.amount(value) == "1,234,567.80万元"
        assert figures.amount(value, "usd") == "1,234,567.80万美元"
        assert figures.amount(value, "yi") == "123.46亿元"
        assert figures.amount(None) == "—"


@pytest.mark.django_db
def test_the_admin_list_groups_fields_and_computed_figures(admin_client):
    # 1,700 万元 of tax on 3 mu: 566.6666… 万元/亩, which the database hands over with many places.
    EnterpriseAnnualMetricFactory(
        land_area=Decimal("3.00"), tax_paid=Decimal("1700.00"), industrial_output=Decimal("1234567.00")
    )
    html = admin_client.get(reverse("admin:chains_enterpriseannualmetric_changelist")).content.decode()
    assert "566.67" in html and "566.6667" not in html
    assert "1,234,567.00" in html and "1,700.00" in html
    # The columns still sort.
    assert 'class="sortable column-tax_paid' in html and 'class="sortable column-tax_per_mu' in html


@pytest.mark.django_db
def test_read_only_figures_are_grouped(admin_client):
    event = SigningEventFactory()
    ProjectFactory(signing_event=event, signed_date=event.date, stage="signed", total_investment=Decimal("1234567.00"))
    html = admin_client.get(reverse("admin:projects_signingevent_change", args=[event.pk])).content.decode()
    assert "1,234,567.00" in html  # the derived total on record, a read-only field


@pytest.mark.django_db
def test_a_view_only_user_reads_grouped_amounts(client):
    """An official opens a project somebody else recorded: every field read-only, amounts grouped."""
    project = ProjectFactory(total_investment=Decimal("1234567.00"))
    client.force_login(UserFactory(roles=[Role.OFFICIAL]))
    response = client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1,234,567.00" in html
    assert 'name="total_investment"' not in html


@pytest.mark.django_db
def test_decimal_inputs_show_no_trailing_zeros(admin_client):
    project = ProjectFactory(total_investment=Decimal("1000.00"), registered_capital=Decimal("566.50"))
    html = admin_client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    assert 'name="total_investment" value="1000"' in html
    assert 'name="registered_capital" value="566.5"' in html


def test_page_forms_show_decimals_without_trailing_zeros():
    class AmountForm(forms.Form):
        amount = forms.DecimalField(max_digits=14, decimal_places=2)

    form = bootstrap(AmountForm(initial={"amount": Decimal("1000.00")}))
    html = str(form["amount"])
    assert 'value="1000"' in html and 'class="form-control"' in html and 'step="0.01"' in html
