# Data migration: the city's monthly investment report, the first template (templates are data).
from django.db import migrations

SECTIONS = [
    "summary",
    "chains",
    "clusters",
    "towns",
    "targets",
    "major_signed",
    "started",
    "in_production",
    "issues",
    "land",
]


def forwards(apps, schema_editor) -> None:
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    ReportTemplate.objects.update_or_create(
        code="city-monthly",
        defaults={"name": "平湖市招商引资月报", "unit": "平湖市经济和信息化局", "sections": SECTIONS},
    )


def backwards(apps, schema_editor) -> None:
    apps.get_model("reports", "ReportTemplate").objects.filter(code="city-monthly", reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_immutable_versions"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
