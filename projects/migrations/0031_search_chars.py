# The search's patterns of one or two characters (pinghu.search_short): an index of the characters of each
# text projects and visits are searched by, then ANALYZE, so that the planner knows how common each is.

from django.db import migrations

from pinghu.search_operations import AddCharsIndex, AnalyzeTables


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0030_pipeline_months'),
    ]

    operations = [
        AddCharsIndex("project", "name"),
        AddCharsIndex("investmentvisit", "purpose"),
        AddCharsIndex("investmentvisit", "outcome"),
        AnalyzeTables(["project", "investmentvisit"]),
    ]
