# The search's patterns of one or two characters (pinghu.search_short): an index of the characters of a
# problem's description, then ANALYZE, so that the planner knows how common each character is.

from django.db import migrations

from pinghu.search_operations import AddCharsIndex, AnalyzeTables


class Migration(migrations.Migration):

    dependencies = [
        ('aftercare', '0004_search_indexes'),
    ]

    operations = [
        AddCharsIndex("enterpriseissue", "description"),
        AnalyzeTables(["enterpriseissue"]),
    ]
