"""The Content-Security-Policy: scripts and style elements from this site only; inline style attributes allowed.

ECharts writes its tooltips as HTML with inline ``style`` attributes (the coloured markers); a policy
without ``style-src-attr 'unsafe-inline'`` blocks them and the browser logs a violation on every hover
(tests/browser/test_security_pages.py hovers a chart).
"""

import pytest


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
def test_style_attributes_are_allowed_and_scripts_stay_strict(admin_client):
    policy = _directives(admin_client.get("/")["Content-Security-Policy"])
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]  # <style> elements: none inline
    assert "script-src-attr" not in policy and "script-src-elem" not in policy  # default to script-src
    unsafe = {name for name, sources in policy.items() if any(source.startswith("'unsafe") for source in sources)}
    assert unsafe == {"style-src-attr"}
