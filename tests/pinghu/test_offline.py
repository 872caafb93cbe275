"""The installable app's server side (pinghu.offline): the manifest, /sw.js and its headers, the queue's token and
page, and the visit form's JSON answer mode for the browser's offline queue (one visit per key however often the
same queued visit arrives). The browser side is tests/browser/test_offline.py."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from chains.models import Enterprise
from pinghu.models import IdempotencyKey
from pinghu.permissions import Role
from projects.models import InvestmentVisit
from tests.factories import LeaderFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db
QUEUE = {"HTTP_X_PINGHU_QUEUE": "1", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def official(client):
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    client.force_login(user)
    return user


def _visit(**values):
    return {
        "date": timezone.localdate().isoformat(),
        "leaders": [LeaderFactory().pk],
        "enterprise_name": Enterprise.objects.get_or_create(name="已有企业")[0].name,
        "purpose": "离线洽谈",
        "host_unit": unit_named("经信局").pk,
        "idempotency_key": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    } | values


def test_the_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "平湖产业链招商" and manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0d6efd"
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in manifest["icons"]:  # committed PNGs of the stated size
        from django.contrib.staticfiles import finders

        path = finders.find(icon["src"].removeprefix("/static/"))
        with open(path, "rb") as handle:
            head = handle.read(24)
        size = int.from_bytes(head[16:20], "big")
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and f"{size}x{size}" == icon["sizes"]


def test_the_service_worker_is_served_from_the_root_never_cached_with_workbox_from_this_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    source = response.content.decode()
    config = json.loads(source.split("self.PINGHU_OFFLINE = ", 1)[1].split(";\n", 1)[0])
    assert config["workboxSw"] == "/static/vendor/workbox/workbox-sw.js"
    assert set(config["modules"]) >= {"workbox-routing", "workbox-strategies", "workbox-core"}
    assert all(url.startswith("/static/") for url in [*config["modules"].values(), *config["scripts"]])
    assert config["pages"] == ["/offline/", "/visits/new/"] and "http" not in source  # nothing from another host


def test_every_page_links_the_manifest_and_carries_the_queue_configuration(client, official):
    page = client.get("/offline/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page and "data-offline-badge" in page
    assert '"user": "official"' in page and "data-offline-signout" in page
    login = Client().get("/accounts/login/").content.decode()
    assert '"user": ""' in login  # signed out: page.js deletes the cached pages


def test_the_token_is_fresh_for_the_signed_in_user_and_refused_when_signed_out(client, official):
    response = client.get("/offline/token")
    assert response.status_code == 200 and response.json()["user"] == "official" and response.json()["token"]
    assert "no-store" in response["Cache-Control"]
    assert Client().get("/offline/token").status_code == 401


def test_a_queued_visit_is_created_once_however_often_it_arrives(client, official, django_assert_max_num_queries):
    first = client.post("/visits/new/", _visit(), **QUEUE)
    assert first.status_code == 201 and first.json()["replayed"] is False
    visit = InvestmentVisit.objects.get()
    for _ in range(3):  # the network failed after the server saved it: the queue sends it again
        with django_assert_max_num_queries(12):
            again = client.post("/visits/new/", _visit(), **QUEUE)
        assert again.status_code == 200 and again.json() == {"url": first.json()["url"], "replayed": True}
    assert InvestmentVisit.objects.get() == visit and visit.purpose == "离线洽谈"
    assert IdempotencyKey.objects.filter(key=_visit()["idempotency_key"]).count() == 1
    # Another key is another visit.
    assert client.post("/visits/new/", _visit(idempotency_key="another"), **QUEUE).status_code == 201
    assert InvestmentVisit.objects.count() == 2


def test_a_refused_queued_visit_gets_its_errors_by_field_and_keeps_nothing(client, official):
    response = client.post("/visits/new/", _visit(enterprise_name="没有的企业"), **QUEUE)
    assert response.status_code == 400
    body = response.json()
    assert (
        list(body["errors"]) == ["enterprise_name"] and "没有的企业" in body["errors"]["enterprise_name"]["errors"][0]
    )
    assert body["errors"]["enterprise_name"]["label"] and "没有的企业" in body["message"]
    assert not InvestmentVisit.objects.exists() and not IdempotencyKey.objects.exists()
    # Corrected in the form and sent with the same key: saved.
    fixed = client.post("/visits/new/", _visit(enterprise_name="没有的企业", create_enterprise="on"), **QUEUE)
    assert fixed.status_code == 201 and InvestmentVisit.objects.count() == 1


def test_a_queued_visit_after_the_session_expired_is_not_lost_but_redirected(client):
    response = Client().post("/visits/new/", _visit(), **QUEUE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]  # the queue keeps it
    assert not InvestmentVisit.objects.exists()


def test_the_form_without_the_queue_header_answers_as_before(client, official):
    response = client.post("/visits/new/", _visit())
    assert response.status_code == 302
    assert client.post("/visits/new/", _visit()).status_code == 302 and InvestmentVisit.objects.count() == 1
    assert client.post("/visits/new/", _visit(enterprise_name="没有的企业", idempotency_key="x")).status_code == 200


def test_the_queue_page_needs_a_login(client, official):
    assert client.get("/offline/").status_code == 200
    assert Client().get("/offline/").status_code == 302
