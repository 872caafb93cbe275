"""Django admin of the yearly CNY/USD exchange rates the US-dollar band converts with (``projects.bands``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    """One row per year; a correction is an edit, kept in the history."""

    list_display = ["year", "cny_per_usd", "source", "updated_at"]
    search_fields = ["source"]
    ordering = ["-year"]
