"""``pinghu`` names nothing of the apps above it, in code, strings or site templates.

That no app imports from an app above it is ``tests/test_architecture.py``.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
UPPER_APPS = (
    "units",
    "chains",
    "projects",
    "aftercare",
    "targets",
    "reports",
    "notifications",
    "reminders",
    "webhooks",
    "search",
)
# Wiring that names the apps by design: INSTALLED_APPS and the root URL includes.
ALLOWED = {"pinghu/settings.py", "pinghu/urls.py"}
# The templates of the site's shell, the error pages, sign-in and the import pages pinghu renders.
SITE_TEMPLATES = ["base.html", "403.html", "404.html", "500.html", "registration", "admin/pinghu"]
MENTION = re.compile(rf"\b({'|'.join(UPPER_APPS)})[.:/]")


def pinghu_modules():
    for path in sorted((ROOT / "pinghu").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative not in ALLOWED and "/migrations/" not in relative:
            yield relative, path.read_text(encoding="utf-8")


def test_pinghu_code_and_site_templates_name_no_upper_app():
    found = [
        f"{relative}: {match.group(0)}" for relative, source in pinghu_modules() for match in MENTION.finditer(source)
    ]
    for name in SITE_TEMPLATES:
        path = ROOT / "templates" / name
        for template in sorted(path.rglob("*.html")) if path.is_dir() else [path]:
            found += [f"{template.name}: {match.group(0)}" for match in MENTION.finditer(template.read_text())]
    assert not found
