"""Admin of projects and signing conferences; a stage moves only through the "change stage" action.

Every save of a project goes through ``project_create`` / ``project_update``, which refuses a stale form.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pinghu.admin import ImportAdminMixin, ReadOnlyStepsInline, RoleRulesAdminMixin, ServiceSaveAdminMixin
from pinghu.concurrency import VersionedFormMixin, version_of
from pinghu.permissions import is_admin, may

from ..choices import PIPELINE, PROJECT_STEP_FIELDS, ProjectStage
from ..imports import ProjectResource
from ..models import (
    PROJECT_AMOUNT_FIELDS,
    FollowUp,
    Project,
    ProjectStageChange,
    SigningEvent,
)
from ..models.milestones import MILESTONE_FIELDS
from ..services import (
    follow_up_save,
    project_create,
    project_delete,
    project_transition,
    project_update,
)


class MajorProjectFilter(admin.SimpleListFilter):
    title = _("major project")
    parameter_name = "major"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(major=True)
        if self.value() == "no":
            return queryset.filter(major=False)
        return queryset


class ProjectStageChangeInline(ReadOnlyStepsInline):
    """The stage history: stages change only through transitions."""

    model = ProjectStageChange
    fields = ["at", "from_stage", "to_stage", "by", "note"]
    ordering = ["at", "pk"]


class FollowUpInline(admin.TabularInline):
    """Follow-ups on the project page: whoever may change the project adds them; earlier ones stay as written."""

    model = FollowUp
    fields = ["date", "note", "next_step", "due_date", "author"]
    readonly_fields = ["author"]
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return may(request.user, "projects.add_followup") and (
            obj is None or may(request.user, "projects.change_project", obj)
        )

    def has_change_permission(self, request, obj=None) -> bool:
        # Other people's follow-ups are theirs to change (in the follow-up admin); here only admins edit.
        return is_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_admin(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class TransitionForm(forms.Form):
    """The intermediate page of the "change stage" action."""

    to_stage = forms.ChoiceField(label=_("to stage"), choices=ProjectStage.choices)
    date = forms.DateField(label=_("date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProjectAdminForm(VersionedFormMixin, forms.ModelForm):
    """The project form with the version it opened: ``project_update`` refuses a stale one over newer data."""

    confirm_large_amounts = forms.BooleanField(
        label=_("Confirm the amounts are correct"),
        required=False,
        help_text=_("Needed only when an amount is above its warning line (PINGHU_AMOUNT_WARNINGS)."),
    )

    class Meta:
        model = Project
        exclude: list[str] = []  # every field; the admin's fieldsets choose what shows

    def clean(self):
        data = super().clean()
        # Read by Project.clean(), which the model form runs next.
        self.instance.large_amounts_confirmed = bool(data.get("confirm_large_amounts"))
        return data


@admin.register(Project)
class ProjectAdmin(ServiceSaveAdminMixin, ImportAdminMixin, RoleRulesAdminMixin, SimpleHistoryAdmin):
    resource_classes = [ProjectResource]
    form = ProjectAdminForm
    list_display = [
        "name",
        "chain",
        "investor",
        "stage",
        "total_investment",
        "foreign_investment",
        "signed_date",
        "town",
        "major_display",
    ]
    list_filter = ["stage", "chain", "town", "source", MajorProjectFilter, "level", "is_capital_increase"]
    list_select_related = ["chain", "investor"]
    search_fields = ["name", "investor__name", "investor__short_name", "responsible_unit__name"]
    autocomplete_fields = ["chain", "investor", "signing_event", "responsible_official", "responsible_unit"]
    date_hierarchy = "signed_date"
    show_full_result_count = False
    inlines = [ProjectStageChangeInline, FollowUpInline]
    actions = ["change_stage"]
    fieldsets = [
        (None, {"fields": ["name", "chain", "investor", "source", "stage", "is_capital_increase", "version"]}),
        (_("Amounts"), {"fields": [*PROJECT_AMOUNT_FIELDS, "confirm_large_amounts"]}),
        (
            _("Responsibility"),
            {"fields": ["town", "responsible_unit", "responsible_unit_text", "responsible_official"]},
        ),
        (_("Level"), {"fields": ["level", "level_year"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "first_contact_date",
                    "signed_date",
                    "registered_date",
                    "construction_date",
                    "production_date",
                    "signing_event",
                ]
            },
        ),
        # Approval milestones (issue 16): the project's own fields, edited like any other (not steps).
        (_("Approval milestones"), {"fields": MILESTONE_FIELDS}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_major()

    def get_readonly_fields(self, request, obj=None):
        # The stage of an existing project, its stage dates and its conference change only through
        # the "change stage" action (project_transition), which also writes the stage history.
        if obj is None:
            return ["responsible_unit_text"]
        return [*PROJECT_STEP_FIELDS, "responsible_unit_text"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "stage":
            # A new project starts somewhere on the pipeline, not on hold or dropped.
            kwargs["choices"] = [(stage.value, stage.label) for stage in PIPELINE]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("major project"), boolean=True, ordering="major")
    def major_display(self, obj: Project) -> bool:
        return obj.major

    def save_model(self, request, obj, form, change):
        confirmed = bool(form.cleaned_data.get("confirm_large_amounts"))
        if change:
            project_update(
                project=obj,
                data=self.edited_data(form),
                expected_version=form.expected_version,
                confirm_large_amounts=confirmed,
                by=request.user,
            )
        else:
            project_create(project=obj, by=request.user, confirm_large_amounts=confirmed)

    def get_deleted_objects(self, objs, request):
        # The stage history cannot be deleted on its own, but it goes with its project (and comes back on restore).
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(ProjectStageChange._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        project_delete(obj)

    def delete_queryset(self, request, queryset):
        for project in queryset:
            project_delete(project)

    def save_formset(self, request, form, formset, change):
        if formset.model is FollowUp:
            for follow_up in formset.save(commit=False):
                follow_up_save(follow_up=follow_up, by=request.user)
            for deleted in formset.deleted_objects:
                deleted.delete()
            return
        super().save_formset(request, form, formset, change)

    @admin.action(description=_("Change stage of selected projects"), permissions=["change"])
    def change_stage(self, request, queryset):
        form = TransitionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            with transaction.atomic():
                moved, refused = self._apply_stage_change(request, queryset, form.cleaned_data)
            if moved:
                self.message_user(request, gettext("%(count)d projects moved.") % {"count": moved}, messages.SUCCESS)
            for line in refused:
                self.message_user(request, line, messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change stage"),
            "opts": self.model._meta,
            "form": form,
            "projects": [self._with_version(project) for project in queryset],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/projects/project/change_stage.html", context)

    @staticmethod
    def _with_version(project: Project) -> Project:
        project.version = version_of(project)  # sent back by the confirmation page
        return project

    def _apply_stage_change(self, request, queryset, data) -> tuple[int, list[str]]:
        """Move each selected project the user may change, unless it changed since the confirmation page."""
        moved, refused = 0, []
        # All selected rows are locked at once, in one order, so two such actions cannot deadlock;
        # project_transition checks each against the version the confirmation page showed (a
        # missing one counts as stale).
        selected = list(queryset.values_list("pk", flat=True))
        for project in Project.objects.select_for_update().filter(pk__in=selected).order_by("pk"):
            if not may(request.user, "projects.change_project", project):
                refused.append(f"{project}: {gettext('Your role does not allow this.')}")
                continue
            try:
                project_transition(
                    project,
                    data["to_stage"],
                    by=request.user,
                    on_date=data["date"],
                    note=data["note"],
                    expected_version=request.POST.get(f"version-{project.pk}", ""),
                )
                moved += 1
            except ValidationError as error:
                refused.append(f"{project}: {'; '.join(error.messages)}")
        return moved, refused


@admin.register(SigningEvent)
class SigningEventAdmin(SimpleHistoryAdmin):
    """The announced totals (公布) are typed in; the recorded ones (系统内已登记) are derived, beside them."""

    list_display = [
        "name",
        "date",
        "location",
        "announced_project_count",
        "announced_investment",
        "project_count",
        "investment_total",
    ]
    search_fields = ["name", "location"]
    date_hierarchy = "date"
    readonly_fields = ["project_count", "investment_total"]
    empty_value_display = "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_project_count=Count("projects"), _investment_total=Sum("projects__total_investment"))
        )

    @admin.display(description=_("projects on record"), ordering="_project_count")
    def project_count(self, obj: SigningEvent) -> int:
        return obj._project_count

    @admin.display(description=_("total investment on record (10k CNY)"), ordering="_investment_total")
    def investment_total(self, obj: SigningEvent):
        return obj._investment_total or 0
