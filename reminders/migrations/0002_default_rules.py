"""The reminder rules with the defaults of issue 19, one row per kind (bureau staff change them later)."""

from django.db import migrations

DEFAULTS = {
    "follow_up_due": {"days_before": 1, "on_due_date": True, "overdue_every": 7},
    "issue_assigned": {},
    "issue_due": {"days_before": 2, "on_due_date": False, "overdue_every": 7},
    "project_stalled": {"lead_days": 60, "negotiating_days": 90, "signed_days": 180, "registered_days": 180},
    "firm_not_contacted": {"contact_days": 90},
    "target_far_behind": {},
}


def create_rules(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    for kind, values in DEFAULTS.items():
        ReminderRule.objects.using(schema_editor.connection.alias).get_or_create(kind=kind, defaults=values)


def delete_rules(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    ReminderRule.objects.using(schema_editor.connection.alias).filter(kind__in=list(DEFAULTS)).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_initial")]

    operations = [migrations.RunPython(create_rules, delete_rules)]
