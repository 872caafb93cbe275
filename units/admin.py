"""Units in the admin: the list, search and members, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["members"]
