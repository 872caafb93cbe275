"""``manage.py create_demo_admin``: a local administrator for the demo, password printed once."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create a superuser for a local demo and print its generated password once (does nothing if it exists)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                _("The demo administrator is for local runs only (DJANGO_DEBUG on); use createsuperuser in production.")
            )
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(
                _(
                    "Administrator %(username)s already exists; its password was printed when it was created. "
                    "To set a new one: python manage.py changepassword %(username)s"
                )
                % {"username": username}
            )
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(_("Demo administrator created (shown only this once):")))
        self.stdout.write(_("  user name: %(username)s") % {"username": username})
        self.stdout.write(_("  password:  %(password)s") % {"password": password})
        self.stdout.write(_("  sign in at http://127.0.0.1:8000/admin/"))
