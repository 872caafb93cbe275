"""Admin of land parcels (地块): every save through ``projects.services`` (create, update, supply)."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ImportAdminMixin, ServiceSaveAdminMixin
from pinghu.concurrency import VersionedFormMixin

from ..choices import ParcelStatus
from ..imports.parcels import ParcelResource
from ..models import LandParcel
from ..services import parcel_create, parcel_supply, parcel_update


class LandParcelAdminForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = LandParcel
        exclude: list[str] = []


@admin.register(LandParcel)
class LandParcelAdmin(ServiceSaveAdminMixin, ImportAdminMixin, SimpleHistoryAdmin):
    """A parcel turned supplied is supplied by ``parcel_supply`` (which refuses another project)."""

    resource_classes = [ParcelResource]
    form = LandParcelAdminForm
    list_display = ["number", "town", "land_area", "use", "status", "origin", "project", "supplied_date"]
    list_filter = ["status", "town", "use"]
    list_select_related = ["origin", "project"]
    search_fields = ["number", "notes", "origin__name", "project__name"]
    autocomplete_fields = ["origin", "project"]
    date_hierarchy = "supplied_date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = parcel_create(parcel=obj).pk
            return
        data = self.edited_data(form)
        if obj.status == ParcelStatus.SUPPLIED:
            project, date = data.pop("project", obj.project), data.pop("supplied_date", obj.supplied_date)
            data.pop("status", None)
            saved = parcel_update(parcel=obj, data=data, expected_version=form.expected_version)
            parcel_supply(parcel=saved, project=project, date=date)
            return
        parcel_update(parcel=obj, data=data, expected_version=form.expected_version)
