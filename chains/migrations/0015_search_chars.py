# The search's patterns of one or two characters (pinghu.search_short): an index of the characters of each
# text the firms are searched by, then ANALYZE, so that the planner knows how common each character is.

from django.db import migrations

from pinghu.search_operations import AddCharsIndex, AnalyzeTables


class Migration(migrations.Migration):

    dependencies = [
        ('chains', '0014_enterprise_major_index'),
    ]

    operations = [
        AddCharsIndex("enterprise", "name"),
        AddCharsIndex("enterprise", "short_name"),
        AddCharsIndex("enterprise", "former_names"),
        AnalyzeTables(["enterprise"]),
    ]
