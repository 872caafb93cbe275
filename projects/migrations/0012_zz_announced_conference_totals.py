"""The 2023-05-09 signing conference keeps its announced totals (28 projects, 122亿元) (issue 15).

For a database an earlier release seeded: the announced figures are filled in where still empty
(a bureau entry wins), and the conference is recorded as loaded, so the seed never touches it
again. Reversible: the backward step empties them where they still hold these values.
"""

import datetime
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

NAME = "2023年平湖市产业链高质量发展签约大会"
DATE = datetime.date(2023, 5, 9)
KEY = f"signing-event:{DATE:%Y-%m-%d}:{NAME}"
ANNOUNCED_PROJECTS = 28
ANNOUNCED_INVESTMENT = Decimal("1220000.00")  # 122亿元 in 万元


def forward(apps, schema_editor):
    SigningEvent = apps.get_model("projects", "SigningEvent")
    SeededRow = apps.get_model("chains", "SeededRow")
    event = SigningEvent.objects.filter(name=NAME, date=DATE)
    if not event.exists():
        return  # a new database: seed_pinghu loads the conference with its announced totals
    SeededRow.objects.get_or_create(key=KEY)
    now = timezone.now()
    event.filter(announced_project_count=None).update(announced_project_count=ANNOUNCED_PROJECTS, updated_at=now)
    event.filter(announced_investment=None).update(announced_investment=ANNOUNCED_INVESTMENT, updated_at=now)


def backward(apps, schema_editor):
    SigningEvent = apps.get_model("projects", "SigningEvent")
    event = SigningEvent.objects.filter(name=NAME, date=DATE)
    event.filter(announced_project_count=ANNOUNCED_PROJECTS).update(announced_project_count=None)
    event.filter(announced_investment=ANNOUNCED_INVESTMENT).update(announced_investment=None)


class Migration(migrations.Migration):
    dependencies = [("projects", "0012_announced_totals"), ("chains", "0007_zz_seed_corrections")]

    operations = [migrations.RunPython(forward, backward)]
