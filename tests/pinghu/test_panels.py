"""Page panels (``pinghu.panels``): apps register sections of other apps' pages; a page renders those one may see."""

import pytest
from django.test import RequestFactory

from pinghu import panels
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(panels, "_PANELS", {})
    return panels


def use_templates_in(folder, settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [folder, *engine["DIRS"]]}]  # a new value: the engines reload


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_panels_render_in_order_with_their_context(registry, tmp_path, settings):
    use_templates_in(tmp_path, settings)
    (tmp_path / "one.html").write_text("<p>one {{ value }}</p>")
    (tmp_path / "two.html").write_text("<p>two {{ value }}</p>")
    registry.add_panel("page", "b", template="one.html", context=lambda request, **kw: {"value": kw["x"]}, order=2)
    registry.add_panel("page", "a", template="two.html", context=lambda request, **kw: {"value": "<b>"}, order=1)
    registry.add_panel("page", "c", template="one.html", context=lambda request, **kw: None)  # nothing to show
    html = registry.render_panels("page", request_for(UserFactory(is_superuser=True)), x=5)
    assert html == "<p>two &lt;b&gt;</p><p>one 5</p>"
    assert [panel.name for panel in registry.panels_of("page")] == ["c", "a", "b"]
    assert registry.render_panels("other", request_for(UserFactory())) == ""


def test_a_panel_needing_a_permission_is_left_out_without_it(registry, tmp_path, settings):
    use_templates_in(tmp_path, settings)
    (tmp_path / "one.html").write_text("<p>secret</p>")
    called = []
    registry.add_panel(
        "page", "a", template="one.html", context=lambda request, **kw: called.append(1) or {}, permission="x.view_y"
    )
    assert registry.render_panels("page", request_for(UserFactory(username="plain"))) == ""
    assert called == []  # not even computed
    registry.remove_panel("page", "a")
    assert registry.panels_of("page") == []
