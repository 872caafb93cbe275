"""Every enterprise stores its name normalised (``name_key``): typed names find a firm by an indexed lookup."""

import unicodedata

from django.db import migrations, models


# The normalisation as it stood when this ran (chains.names.firm_name_key), frozen here.
_SPACES = str.maketrans("", "", " \t\r\n\u3000\u00a0")


def fill_name_keys(apps, schema_editor) -> None:
    Enterprise = apps.get_model("chains", "Enterprise")
    firms = list(Enterprise.objects.only("pk", "name"))
    for firm in firms:
        firm.name_key = unicodedata.normalize("NFKC", firm.name or "").translate(_SPACES).casefold()
    Enterprise.objects.bulk_update(firms, ["name_key"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('chains', '0005_per_mu_metrics'),
    ]

    operations = [
        migrations.AddField(
            model_name='enterprise',
            name='name_key',
            field=models.CharField(db_index=True, default='', editable=False, help_text='The name normalised (full-width folded, spaces removed, case folded): how typed names find it.', max_length=128, verbose_name='name for matching'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalenterprise',
            name='name_key',
            field=models.CharField(db_index=True, default='', editable=False, help_text='The name normalised (full-width folded, spaces removed, case folded): how typed names find it.', max_length=128, verbose_name='name for matching'),
            preserve_default=False,
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
