"""A user's API tokens are revoked when their password changes, whichever path changed it.

The admin's password form, ``manage.py changepassword``, the site's password change page and
``createsuperuser`` on an existing account all call ``set_password`` and save the user; so does
``set_unusable_password`` (a password taken away). Before the save the stored hash is compared with
the new one; after it, the tokens go (``pinghu.services.api_tokens_revoke_for_user``). A hash Django
upgrades at login (same password, stronger hasher) is not a change: it saves without
``set_password``'s pending raw password and with a usable hash, and revokes nothing.
"""

from pinghu.services import api_tokens_revoke_for_user

CHANGED = "_pinghu_password_changed"


def note_password_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """``pre_save`` of the user model: does this save change the password?"""
    setattr(instance, CHANGED, False)
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    set_by_user = getattr(instance, "_password", None) is not None or not instance.has_usable_password()
    if not set_by_user:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    setattr(instance, CHANGED, stored is not None and stored != instance.password)


def revoke_tokens_on_password_change(sender, instance, created=False, raw=False, **kwargs) -> None:
    """``post_save`` of the user model: a changed password revokes the user's API tokens."""
    if getattr(instance, CHANGED, False):
        setattr(instance, CHANGED, False)
        api_tokens_revoke_for_user(user=instance)
