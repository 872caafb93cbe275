"""``run_reminders``: the daily scan from the command line or a timer."""
