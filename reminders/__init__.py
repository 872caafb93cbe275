"""Reminders and supervision (督办): rules with thresholds in the database, the daily scan, immediate messages."""
