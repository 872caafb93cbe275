"""Quiet hours: the local times during which no message leaves (the inbox still fills); a digest waits until they end.

A person's own hours (``Preference``) or the site's (``PINGHU_QUIET_HOURS``, "22:00-07:00"); units' group
robots keep the site's. A window may wrap midnight; equal ends mean no quiet hours.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def parse_hours(text: str) -> tuple[datetime.time, datetime.time] | None:
    """``"22:00-07:00"`` → the two times; ``""`` → ``None`` (never quiet)."""
    if not text.strip():
        return None
    start, _sep, end = text.partition("-")
    return datetime.time.fromisoformat(start.strip()), datetime.time.fromisoformat(end.strip())


def site_hours() -> tuple[datetime.time, datetime.time] | None:
    return parse_hours(settings.PINGHU_QUIET_HOURS)


def hours_of(user) -> tuple[datetime.time, datetime.time] | None:
    """``user``'s quiet hours (``None`` for a unit's channel: the site's)."""
    preference = getattr(user, "notification_preference", None) if user is not None else None
    if preference is not None and preference.quiet_start is not None and preference.quiet_end is not None:
        return preference.quiet_start, preference.quiet_end
    return site_hours()


def release_time(moment: datetime.datetime, hours) -> datetime.datetime:
    """``moment`` if it is outside the quiet hours ``(start, end)``, else when they end (aware, local end time)."""
    if hours is None or hours[0] == hours[1]:
        return moment
    start, end = hours
    zone = timezone.get_default_timezone()
    local = timezone.localtime(moment, zone)
    now = local.time()
    quiet = start <= now < end if start < end else (now >= start or now < end)
    if not quiet:
        return moment
    day = local.date() if now < end else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, end), zone)
