"""The reminders app's management commands."""
