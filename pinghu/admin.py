"""Admin for API tokens (list, create with the key shown once, revoke) and what every app's admin shares.

Shared: the role rules every admin follows, saving through services with their refusals on the form,
the import steps, read-only step inlines.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.forms import ImportForm

from .forms import add_refusal
from .imports import (
    EXTENSIONS,
    IMPORT_FORMATS,
    MAX_BYTES,
    MAX_ROWS,
    ImportRefused,
    check_upload,
    import_report,
    template_workbook,
)
from .imports.uploads import upload_remove, upload_store
from .models import ApiToken
from .permissions import IMPORT, may, perm_name
from .services import api_token_issue, api_token_revoke


class RoleRulesAdminMixin:
    """Changing or deleting one row follows its object rule (``pinghu.permissions``), not only the model permission.

    A role may see every row of a model but change only those its rule allows (the ones the user
    recorded, say); the others open read-only.
    The bulk "delete selected" action asks the same question for each row.
    """

    def has_change_permission(self, request, obj=None) -> bool:
        return may(request.user, perm_name(self.model, "change"), obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return may(request.user, perm_name(self.model, "delete"), obj)


class ServiceSaveAdminMixin:
    """Saves go through the model's services; a refusal (a rule, a stale version) shows on the form.

    The admin saves after it has validated the form, so a ValidationError raised by the service in
    ``save_model``/``save_related`` has no way back onto the page by itself. Here the change view is
    run once more with the refusal, which the form then reports as its own errors; the first run's
    writes went with its transaction (Django's change view is atomic). The edit form's hidden
    ``version`` (``VersionedFormMixin``) is what ``save_model`` hands the service as ``expected_version``.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            if request.method != "POST" or hasattr(request, "_service_refusal"):
                raise
            request._service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                add_refusal(self, refusal)
                return cleaned

        RefusedForm.__name__ = form_class.__name__
        return RefusedForm

    @staticmethod
    def edited_data(form) -> dict:
        """The values of the model fields ``form`` edits (links aside): an update service's ``data``."""
        concrete = {field.name for field in form.instance._meta.concrete_fields}
        return {name: getattr(form.instance, name) for name in form.fields if name in concrete}


class ImportFileForm(ImportForm):
    """The upload step: only .xlsx or .csv up to ``MAX_BYTES``; the format follows the file's extension."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].help_text = _(
            "An Excel (.xlsx, first sheet) or CSV file with the export's column headers, at most %(mb)d MB "
            "and %(rows)s rows. Nothing is written until you confirm the preview, and nothing at all if a row is bad."
        ) % {"mb": MAX_BYTES // 1024 // 1024, "rows": f"{MAX_ROWS:,}"}
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None:
            return cleaned
        try:
            extension = check_upload(upload.name, upload.size)
        except ImportRefused as refusal:
            self.add_error("import_file", str(refusal))
        else:
            cleaned["format"] = str(EXTENSIONS.index(extension))
        return cleaned


class ImportAdminMixin(ImportMixin):
    """Upload, preview and confirm an import (django-import-export), for roles holding ``pinghu.import_data``.

    The preview is the import run in a transaction that is rolled back: its report lists every
    problem (row, column, value, message) and every change; the confirm step runs it again for
    real, all or nothing. An empty template of the kind can be downloaded from the upload page.
    The audit history records every change with the user and the file, so no admin log is kept.
    """

    import_form_class = ImportFileForm
    import_template_name = "admin/pinghu/import.html"
    skip_admin_log = True

    @property
    def import_formats(self):
        return IMPORT_FORMATS

    def has_import_permission(self, request) -> bool:
        return may(request.user, IMPORT)

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        response = HttpResponse(
            template_workbook(resource),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"{self.model._meta.model_name}-template-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def write_to_tmp_storage(self, import_file, input_format):
        # A full disk answers on the form, with nothing left behind (pinghu.imports.uploads).
        data = b"".join(import_file.chunks())
        return upload_store(self.get_tmp_storage_class(), data, **self._tmp_storage_kwargs(input_format))

    def _tmp_storage_kwargs(self, input_format) -> dict:
        encoding = None if input_format.is_binary() else self.from_encoding
        return {"encoding": encoding, "read_mode": input_format.get_read_mode(), **self.get_tmp_storage_class_kwargs()}

    def _remove_upload(self, name) -> None:
        upload_remove(self.get_tmp_storage_class(), name, **self.get_tmp_storage_class_kwargs())

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        # The uploaded file object is the form's: the storage's name for it is set on it once stored.
        upload = request.FILES.get("import_file")
        if context is not None and context.get("confirm_form") is None:
            # Refused (unreadable, a bad row): nothing will confirm it, so it is not kept.
            self._remove_upload(getattr(upload, "tmp_storage_name", None))
        if context is not None and context.get("result") is not None:
            context["report"] = import_report(context["result"], dry_run=True)
        if context is not None:
            context["template_url"] = reverse(
                "admin:{}_{}_import_template".format(*self.get_model_info()), current_app=self.admin_site.name
            )
        return response

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # Confirmed twice (the file is removed once imported), or kept on another host.
            messages.error(request, gettext("The uploaded file is no longer kept; upload it again."))
        except (ImportRefused, IndexError, ValueError):
            # A confirmation form altered by hand (another format, say): start again from the upload.
            messages.error(request, gettext("The confirmation does not match the uploaded file; upload it again."))
            self._remove_upload(request.POST.get("import_file_name"))
        return HttpResponseRedirect(self._import_url())

    def _import_url(self) -> str:
        return reverse("admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name)

    def process_result(self, result, request):
        report = import_report(result)
        if not report.ok:
            # Something changed since the preview (another user's edit, say): nothing was written.
            for problem in report.problems[:20]:
                where = gettext("row %(row)d") % {"row": problem.row} if problem.row else gettext("file")
                messages.error(request, f"{where} {problem.column} {problem.value}: {problem.message}")
            messages.error(request, gettext("The import was refused; nothing was written."))
            return HttpResponseRedirect(self._import_url())
        return super().process_result(result, request)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "name", "user__username"]
    autocomplete_fields = ["user"]
    fields = ["user", "name", "scope", "expires_at", "prefix", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's owner and scope are fixed once issued; issue a new one instead.
        return [*self.readonly_fields, "user", "scope"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = api_token_issue(user=obj.user, scope=obj.scope, name=obj.name)
        if obj.expires_at:
            token.expires_at = obj.expires_at
            token.save(update_fields=["expires_at", "updated_at"])
        obj.pk = token.pk
        self.message_user(
            request,
            gettext("New token (copy it now, it is shown only once): %(key)s") % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token)
        self.message_user(request, gettext("%(count)d tokens revoked.") % {"count": queryset.count()})


class ReadOnlyStepsInline(admin.TabularInline):
    """A record's steps (stage changes, problem steps), read-only: a service writes them, never the admin."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")
