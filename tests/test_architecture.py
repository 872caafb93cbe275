"""The apps stand in layers and import only downward (lowest first: pinghu, units, chains, projects,
aftercare, targets, reports, notifications, reminders, webhooks, search).

Read from the code itself (every ``import`` of every module, migrations and all), so the drawing
in the README cannot drift from what the code does. Templates are checked for ``{% url %}`` names
and ``perms.<app>`` of apps above their own; that pinghu names no app in strings either is
``tests/pinghu/test_dependencies.py``.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
# Lowest first; an app may import from itself and from the apps before it, never after.
LAYERS = [
    "pinghu",
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
]
MAX_LINES = 400


def _modules(app: str):
    return sorted((BASE / app).rglob("*.py"))


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(LAYERS)
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    upward = {
        str(path.relative_to(BASE)): sorted(_imported_apps(path) & above)
        for path in _modules(app)
        if _imported_apps(path) & above
    }
    assert not upward, upward


@pytest.mark.parametrize("app", LAYERS)
def test_templates_of_an_app_name_no_app_above_it(app):
    above = LAYERS[LAYERS.index(app) + 1 :]
    if not above:
        return
    names = "|".join(above)
    pattern = re.compile(r"\{% url ['\"](" + names + r"):|perms\.(" + names + r")\.")
    folder = BASE / "templates" / app
    offending = [str(path) for path in folder.rglob("*.html") if pattern.search(path.read_text(encoding="utf-8"))]
    assert not offending


def test_no_module_grows_past_400_lines():
    long = {
        str(path.relative_to(BASE)): count
        for app in LAYERS
        for path in _modules(app)
        if "migrations" not in path.parts and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_every_module_says_what_lives_there():
    silent = [
        str(path.relative_to(BASE))
        for app in LAYERS
        for path in _modules(app)
        if "migrations" not in path.parts
        and path.stat().st_size
        and ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert not silent, silent


def test_every_choice_list_lives_in_choices_py():
    stray = [
        f"{path.relative_to(BASE)}: {node.name}"
        for app in LAYERS
        for path in _modules(app)
        if path.name != "choices.py" and "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(
            getattr(base, "attr", getattr(base, "id", "")) in ("TextChoices", "IntegerChoices") for base in node.bases
        )
    ]
    assert not stray, stray
