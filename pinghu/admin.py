"""Admin for API tokens (list, create with the key shown once, revoke) and the role rules every admin follows."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .permissions import may, perm_name
from .services import api_token_issue, api_token_revoke


class RoleRulesAdminMixin:
    """Changing or deleting one row follows its object rule (``pinghu.permissions``), not only the model permission.

    An official sees every visit but may change only those they recorded; the others open read-only.
    The bulk "delete selected" action asks the same question for each row.
    """

    def has_change_permission(self, request, obj=None) -> bool:
        return may(request.user, perm_name(self.model, "change"), obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return may(request.user, perm_name(self.model, "delete"), obj)


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
