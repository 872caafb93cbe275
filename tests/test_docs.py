"""The README and docs/ state facts the code can check; these tests keep some of them true.

- every file README.md and docs/*.md link to exists, and every ``#anchor`` names a heading there;
- README.md links to every page of docs/;
- every API resource under ``/api/v1/`` (whichever app's router registers it, found through the URL
  resolver), every extra action of one and every other API path is named in docs/api.md;
- every environment variable the settings read is in the configuration table, and every variable
  the table names is read somewhere;
- every role of ``pinghu.permissions.Role`` is named in docs/roles.md;
- every ``make TARGET`` the docs name is a Makefile target, every ``manage.py COMMAND`` a command.

Nothing here lists resources, variables or roles by hand: they come from the code.
"""

import ast
import importlib.util
import os
import re
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
API_PREFIX = "api/v1/"

FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def prose(text: str) -> str:
    """The text without fenced code blocks and inline code (where brackets are not links)."""
    return INLINE_CODE.sub("", FENCED.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(heading) for heading in HEADING.findall(FENCED.sub("", path.read_text()))}


def local_links(path: Path) -> list[tuple[Path, str]]:
    """(target file, anchor) of every link in ``path`` that is not a URL."""
    links = []
    for target in LINK.findall(prose(path.read_text())):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        links.append(((path.parent / file_part).resolve() if file_part else path, anchor))
    return links


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_link_points_at_a_file_and_heading_that_exist(path):
    broken = []
    for target, anchor in local_links(path):
        if not target.exists():
            broken.append(f"{target.relative_to(ROOT)} (missing file)")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            broken.append(f"{target.relative_to(ROOT)}#{anchor} (no such heading)")
    assert broken == []


def test_the_readme_links_to_every_page_of_docs():
    linked = {target for target, _anchor in local_links(README)}
    pages = set(DOCS.glob("*.md"))
    assert pages, "docs/ has no pages"
    assert sorted(page.name for page in pages - linked) == []


# ---------------------------------------------------------------- the API


def _route(pattern) -> str:
    """A URL pattern's route as a path: ``projects/{pk}/transition/``."""
    route = str(pattern.pattern)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)  # regex groups (DRF routers)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)  # path converters
    return route.replace("\\Z", "").replace("^", "").replace("$", "").replace("\\", "")


def _api_patterns(patterns, prefix: str = ""):
    """(path under /api/v1/, view callback) of every URL pattern there, from every included URL module."""
    for pattern in patterns:
        route = prefix + _route(pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith(API_PREFIX):
            yield route.removeprefix(API_PREFIX), pattern.callback


STANDARD_ACTIONS = {"list", "create", "retrieve", "update", "partial_update", "destroy"}


def api_surface() -> tuple[set[str], set[str], set[str]]:
    """Router resources (``projects``), extra actions (``transition``) and other API paths (``stats/summary/``)."""
    resources, actions, paths = set(), set(), set()
    for path, callback in _api_patterns(get_resolver().url_patterns):
        view_actions = getattr(callback, "actions", None)  # set by a DRF viewset's as_view()
        if view_actions is None:
            paths.add(path)
            continue
        resources.add(path.split("/")[0])
        if set(view_actions.values()) - STANDARD_ACTIONS:
            literal = [part for part in path.split("/")[1:] if part and not part.startswith("{")]
            actions.update(literal)
    return resources, actions, paths


def test_every_api_resource_action_and_path_is_named_in_docs_api():
    text = (DOCS / "api.md").read_text()
    resources, actions, paths = api_surface()
    assert {"projects", "visits"} <= resources, "the URL walk found no router resources"
    missing = [f"resource {name}" for name in sorted(resources) if f"`{name}`" not in text and f"/{name}/" not in text]
    missing += [f"action {name}/" for name in sorted(actions) if f"{name}/" not in text]
    missing += [f"path {path}" for path in sorted(paths) if path not in text]
    assert missing == []


# ---------------------------------------------------------------- configuration


def _is_os_environ(node) -> bool:
    """``os.environ``, or ``environ``: the mapping the settings hand their helper modules (pinghu.settings_db)."""
    if isinstance(node, ast.Name):
        return node.id == "environ"
    return isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", None) == "os"


def variables_read(source: str) -> set[str]:
    """Names read with os.environ.get/[...], os.getenv or an env…() helper, when given as a literal."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            key = node.slice
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            reads = (
                (isinstance(func, ast.Attribute) and func.attr == "get" and _is_os_environ(func.value))
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr == "getenv"
                    and getattr(func.value, "id", None) == "os"
                )
                or (isinstance(func, ast.Name) and func.id.startswith("env"))
                or (isinstance(func, ast.Attribute) and getattr(func.value, "id", None) == "env")
            )
            if not reads:
                continue
            key = node.args[0]
            if isinstance(key, ast.Name) and key.id == "environ" and len(node.args) > 1:
                key = node.args[1]  # a helper taking the environment first: env_flag(environ, "NAME")
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def settings_variables() -> set[str]:
    # Not settings.SETTINGS_MODULE: a test's overridden settings (autouse fixtures) do not carry it.
    spec = importlib.util.find_spec(os.environ["DJANGO_SETTINGS_MODULE"])
    files = [Path(spec.origin)]
    if spec.submodule_search_locations:  # a settings package: every module in it
        files = sorted(Path(spec.origin).parent.rglob("*.py"))
    # And the project's modules the settings import to read the environment (pinghu.settings_db, …).
    helpers = set()
    for node in ast.walk(ast.parse(files[0].read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pinghu":
            helpers |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
    for name in sorted(helpers):
        path = ROOT / (name.replace(".", "/") + ".py")
        if path.exists():
            files.append(path)
    return set().union(*(variables_read(file.read_text()) for file in files))


def configuration_table() -> set[str]:
    """The variables named in the first column of the configuration table (README or docs/configuration.md)."""
    names = set()
    for path in (README, DOCS / "configuration.md"):
        if path.exists():
            names |= set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", path.read_text(), re.MULTILINE))
    return names


def test_every_variable_the_settings_read_is_in_the_configuration_table():
    read = settings_variables()
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY"} <= read, "the settings scan found nothing"
    assert sorted(read - configuration_table()) == []


def test_every_variable_in_the_configuration_table_is_read_somewhere():
    sources = [ROOT / "Makefile", *ROOT.glob("scripts/*.py"), *ROOT.glob("tests/**/*.py")]
    elsewhere = "\n".join(path.read_text() for path in sources if path != Path(__file__))
    unread = [name for name in configuration_table() if name not in settings_variables() and name not in elsewhere]
    assert sorted(unread) == []


# ---------------------------------------------------------------- roles, make targets, commands


def test_every_role_is_named_in_docs_roles():
    from pinghu.permissions import Role

    names = [value for key, value in vars(Role).items() if key.isupper() and isinstance(value, str)]
    assert names, "pinghu.permissions.Role names no role"
    text = (DOCS / "roles.md").read_text()
    assert [name for name in names if name not in text] == []


def docs_text() -> str:
    return "\n".join(path.read_text() for path in markdown_files())


def test_every_make_target_the_docs_name_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", makefile, re.MULTILINE))
    text = docs_text()
    named = set(re.findall(r"`make ([a-z][\w-]*)", text)) | set(re.findall(r"^make ([a-z][\w-]*)", text, re.MULTILINE))
    assert {"run", "test"} <= named
    assert sorted(named - targets) == []


def test_every_management_command_the_docs_name_exists():
    named = set(re.findall(r"manage\.py ([a-z_]+)", docs_text()))
    assert "seed_pinghu" in named
    assert sorted(named - set(get_commands())) == []
