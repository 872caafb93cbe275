"""``manage.py issue_api_token USERNAME [--write] [--expires-days N] [--name TEXT]``: print a new API token once.

Tokens read only unless ``--write`` asks for one that may also write: a token handed to another system
should do no more than it needs. ``--read-only`` (the default now) is still accepted.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pinghu.choices import TokenScope
from pinghu.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--write", action="store_true", help="A token that may also write (default: read only).")
        scope.add_argument("--read-only", action="store_true", help="A token that can only read (the default).")
        parser.add_argument("--expires-days", type=int, default=None, help="Days until the token expires.")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username: str, write: bool, expires_days: int | None, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user named %(username)s.") % {"username": username})
        if expires_days is not None and expires_days < 1:
            raise CommandError(_("--expires-days must be at least 1."))
        scope = TokenScope.WRITE if write else TokenScope.READ
        token, key = api_token_issue(user=user, scope=scope, expires_in_days=expires_days, name=name)
        self.stderr.write(
            _("Token %(prefix)s… for %(username)s (%(scope)s%(expiry)s). It is shown only this once:")
            % {
                "prefix": token.prefix,
                "username": username,
                "scope": token.get_scope_display(),
                "expiry": _(", expires %(date)s") % {"date": f"{token.expires_at:%Y-%m-%d}"}
                if token.expires_at
                else "",
            }
        )
        self.stdout.write(key)
