"""Roles and the one permission check used by admin, UI and API.

Two layers, both standard Django:

- **What kind of action a role may take at all** is a model permission (``app.change_model``),
  held by the role's group. The groups are created by a data migration and kept in step with
  what each app's ``roles.py`` declares after every ``migrate`` (``sync_role_groups``), so models
  added later get their read permissions too. Admins may give a user or group more; the sync only adds.
- **Which rows** an official or a chain leader may change is an object rule (django-rules) that
  lives beside the models it is about, in the app's ``rules.py`` (for instance, an official edits
  the visits they recorded; a chain leader the projects of the chains they currently lead).

``may(user, perm, obj)`` combines the two; admin, pages and API call nothing else.
"""

from __future__ import annotations

from importlib import import_module

import rules
from django.db.models import Q
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class Role:
    """The five roles of the platform; each is a Django group of this name."""

    OFFICIAL = "招商官员"
    CHAIN_LEADER = "链长"
    BUREAU_STAFF = "局工作人员"
    API_CONSUMER = "API消费者"
    ADMIN = "管理员"

    ALL = (OFFICIAL, CHAIN_LEADER, BUREAU_STAFF, API_CONSUMER, ADMIN)


EXPORT = "pinghu.export_data"
# Importing files writes through the services on behalf of the bureau (any chain, any project).
IMPORT = "pinghu.import_data"


def manage(model: str) -> list[str]:
    """The add, change and delete permissions of ``"app.model"``: what a role that runs a register holds."""
    app, name = model.split(".")
    return [f"{app}.{action}_{name}" for action in ("add", "change", "delete")]


def app_roles() -> tuple[list[str], dict[str, list[str]]]:
    """What every installed app's ``roles.py`` declares, merged.

    An app's ``roles.py`` may set ``EVERY_ROLE_READS = True`` (every role reads every model of the
    app; user accounts, tokens and the platform's own tables stay with admins) and
    ``ROLE_PERMISSIONS``, a role name → model permissions mapping. The admin role holds every
    permission. Returns the apps every role reads and each role's permissions.
    """
    from django.apps import apps

    read_apps: list[str] = []
    granted: dict[str, list[str]] = {role: [] for role in Role.ALL}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "roles"):
            continue
        module = import_module(f"{config.name}.roles")
        if getattr(module, "EVERY_ROLE_READS", False):
            read_apps.append(config.label)
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            granted[role].extend(perms)
    return read_apps, granted


# ---------------------------------------------------------------- predicates every app's rules use


def _in_group(user, name: str) -> bool:
    names = getattr(user, "_pinghu_groups", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        user._pinghu_groups = names
    return name in names


def in_role(user, role: str) -> bool:
    """Whether an active ``user`` belongs to ``role`` (one of ``Role``), read once per request's user object."""
    return bool(user is not None and user.is_active and _in_group(user, role))


@rules.predicate
def is_admin(user) -> bool:
    """A superuser or a member of the admin role: every row."""
    return bool(user.is_active and (user.is_superuser or _in_group(user, Role.ADMIN)))


def has_role(user) -> bool:
    """Whether an active user holds one of the roles (or is a superuser): a user with none may sign in, see nothing."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or any(_in_group(user, role) for role in Role.ALL))
    )


def may(user, perm: str, obj=None) -> bool:
    """May ``user`` do ``perm`` (``"app.action_model"``), on ``obj`` if given?

    The role's model permission first; then, for an object, the object rule if ``perm`` has one.
    """
    if user is None or not user.is_active or not user.has_perm(perm):
        return False
    if obj is None or not rules.perm_exists(perm):
        return True
    return user.has_perm(perm, obj)


def readable(perm: str):
    """Decorator of pages: sign in first (a redirect), then the role's ``perm`` (403 with the site's page)."""
    from django.contrib.auth.decorators import login_required, permission_required

    def decorate(view):
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorate


def may_restore(user) -> bool:
    """Restoring an earlier version, or a deleted project or visit, is for admins."""
    return bool(user is not None and is_admin(user))


def perm_name(model, action: str) -> str:
    """``"app_label.change_model"`` for ``(Model, "change")``."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


DENIED = _("Your role does not allow this.")


# ---------------------------------------------------------------- groups


def _permission_filter(perms: list[str]) -> Q:
    condition = Q(pk__in=[])
    for perm in perms:
        app_label, codename = perm.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return condition


def sync_role_groups(apps, using: str = "default") -> None:
    """Create the role groups and give each the permissions the apps' ``roles.py`` list (adding, never removing).

    ``apps`` is a migration's app registry or ``django.apps.apps``; permissions that do not exist
    (yet) are skipped, so this is safe at any point of the migration history.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    read_apps, granted = app_roles()
    read = Q(content_type__app_label__in=read_apps, codename__startswith="view_")
    for role in Role.ALL:
        group, _created = Group.objects.using(using).get_or_create(name=role)
        if role == Role.ADMIN:
            wanted = Permission.objects.using(using).all()
        else:
            wanted = Permission.objects.using(using).filter(read | _permission_filter(granted[role]))
        missing = wanted.exclude(group=group).values_list("pk", flat=True)
        group.permissions.add(*missing)


def sync_role_groups_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs) -> None:
    """``post_migrate`` receiver: runs once, after the last app's permissions are created."""
    from django.apps import apps as global_apps

    # post_migrate is sent only for apps with models: the last of those, not the last app installed.
    if sender is not [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]:
        return
    sync_role_groups(global_apps, using=using)


def works_in_admin(user) -> bool:
    """Whether the user's roles change data (every role but the API consumer): the admin site lets them in.

    Read from the permissions Django already caches on the user, so a page asking costs no query.
    """
    return any(perm.split(".", 1)[1].startswith(("add_", "change_", "delete_")) for perm in user.get_all_permissions())
