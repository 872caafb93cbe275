"""Default yearly CNY/USD exchange rates for the US-dollar band (issue 16, "Size bands and levels").

DESIGN DEFAULT FROM OUTSIDE KNOWLEDGE, not read from a source in this repository: the annual average
rate of the yuan against the US dollar as the National Bureau of Statistics' annual statistical
communiqués (国民经济和社会发展统计公报) state it ("全年人民币平均汇率为1美元兑…元人民币"), 2015–2024.
Each row says so in its ``source``; the bureau checks and edits them in the admin (with history).
Years after the last row use the latest earlier rate (projects.bands). Only missing years are
added, so a rate already entered wins; reversible: the backward step deletes the rows still
holding these values and this source.
"""

from decimal import Decimal

from django.db import migrations

SOURCE = "国家统计局统计公报全年人民币平均汇率（设计默认值，来自外部知识，请核对）"
RATES = {
    2015: Decimal("6.2284"),
    2016: Decimal("6.6423"),
    2017: Decimal("6.7518"),
    2018: Decimal("6.6174"),
    2019: Decimal("6.8985"),
    2020: Decimal("6.8976"),
    2021: Decimal("6.4515"),
    2022: Decimal("6.7261"),
    2023: Decimal("7.0467"),
    2024: Decimal("7.1217"),
}


def forward(apps, schema_editor):
    ExchangeRate = apps.get_model("projects", "ExchangeRate")
    present = set(ExchangeRate.objects.values_list("year", flat=True))
    ExchangeRate.objects.bulk_create(
        ExchangeRate(year=year, cny_per_usd=rate, source=SOURCE) for year, rate in RATES.items() if year not in present
    )


def backward(apps, schema_editor):
    ExchangeRate = apps.get_model("projects", "ExchangeRate")
    for year, rate in RATES.items():
        ExchangeRate.objects.filter(year=year, cny_per_usd=rate, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0016_bands_levels")]

    operations = [migrations.RunPython(forward, backward)]
