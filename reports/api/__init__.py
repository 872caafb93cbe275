"""The reports app's API: ``/api/v1/reports/``."""
