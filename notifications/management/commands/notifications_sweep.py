"""``manage.py notifications_sweep``: queue again what a killed worker or lost task left behind (every few minutes)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notifications.delivery import sweep


class Command(BaseCommand):
    help = "Queue again the deliveries whose worker died mid-send or whose task was lost."

    def handle(self, *args, **options) -> None:
        self.stdout.write(_("%(count)d deliveries queued again.") % {"count": sweep()})
