"""Every enterprise stores its name normalised (``name_key``): typed names find a firm by an indexed lookup."""

import unicodedata

from django.db import migrations, models


# The normalisation as it stood when this ran (chains.names.firm_name_key), frozen here.
_SPACES = str.maketrans("", "", " \t\r\n\u3000\u00a0")


def fill_name_keys(apps, schema_editor) -> None:
    """Every enterprise's key, and its history's (a version's key follows the name it had then)."""
    for model_name in ("Enterprise", "HistoricalEnterprise"):
        model = apps.get_model("chains", model_name)
        pk = model._meta.pk.name
        batch = []
        for row in model.objects.only(pk, "name").order_by(pk).iterator(chunk_size=2000):
            row.name_key = unicodedata.normalize("NFKC", row.name or "").translate(_SPACES).casefold()
            batch.append(row)
            if len(batch) == 2000:
                model.objects.bulk_update(batch, ["name_key"])
                batch = []
        model.objects.bulk_update(batch, ["name_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('chains', '0005_per_mu_metrics'),
    ]

    operations = [
        migrations.AddField(
            model_name='enterprise',
            name='name_key',
            field=models.CharField(db_default='', db_index=True, editable=False, help_text='The name normalised (full-width folded, spaces removed, case folded): how typed names find it.', max_length=128, verbose_name='name for matching'),
        ),
        migrations.AddField(
            model_name='historicalenterprise',
            name='name_key',
            field=models.CharField(db_default='', db_index=True, editable=False, help_text='The name normalised (full-width folded, spaces removed, case folded): how typed names find it.', max_length=128, verbose_name='name for matching'),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
