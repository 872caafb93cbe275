"""``?q=`` (the site's search, ``pinghu.search.SearchFilter``) on every list of ``/api/v1/`` (issue 20)."""

import pytest
from django.urls import URLResolver, get_resolver

from notifications.models import Notification
from tests.factories import (
    ChainFactory,
    ChainNodeFactory,
    ClusterFactory,
    EnterpriseAnnualMetricFactory,
    LandParcelFactory,
    LeaderFactory,
    SalonEventFactory,
    SigningEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _list_paths(patterns, prefix=""):
    """The path of every router list (``GET`` answered by the ``list`` action) under ``prefix``."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _list_paths(pattern.url_patterns, route)
        elif (getattr(pattern.callback, "actions", None) or {}).get("get") == "list":
            yield route


API_LISTS = sorted({"/" + path for path in _list_paths(get_resolver().url_patterns) if path.startswith("api/v1/")})


def test_the_walk_finds_the_lists():
    assert len(API_LISTS) >= 22
    assert {"/api/v1/clusters/", "/api/v1/webhooks/deliveries/", "/api/v1/notifications/"} <= set(API_LISTS)


@pytest.mark.parametrize("url", API_LISTS)
def test_every_list_takes_q(read_client, url):
    response = read_client.get(url, {"q": "长城"})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("url", API_LISTS)
def test_every_list_refuses_a_too_long_q_naming_it(read_client, url):
    response = read_client.get(url, {"q": "长" * 65})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["q"]


def _names(response, field):
    assert response.status_code == 200, response.content
    return {row[field] for row in response.json()["results"]}


def test_clusters_by_name(read_client):
    ClusterFactory(name="氢能源测试集群")
    ClusterFactory(name="数字经济测试集群")
    assert _names(read_client.get("/api/v1/clusters/", {"q": "氢能源测试"}), "name") == {"氢能源测试集群"}


def test_chains_by_name_and_nodes_by_their_chain(read_client):
    wanted = ChainFactory(name="氢燃料测试链")
    other = ChainFactory(name="集成电路测试链")
    ChainNodeFactory(chain=wanted, name="电堆")
    ChainNodeFactory(chain=other, name="晶圆")
    assert _names(read_client.get("/api/v1/chains/", {"q": "氢燃料"}), "name") == {"氢燃料测试链"}
    assert _names(read_client.get("/api/v1/chain-nodes/", {"q": "氢燃料"}), "name") == {"电堆"}


def test_signing_events_by_location(read_client):
    SigningEventFactory(name="春季签约会", location="上海虹桥")
    SigningEventFactory(name="秋季签约会", location="平湖")
    assert _names(read_client.get("/api/v1/signing-events/", {"q": "虹桥"}), "name") == {"春季签约会"}


def test_salon_events_by_their_hosts_pinyin_initials(read_client, django_assert_max_num_queries):
    wanted = SalonEventFactory(host=LeaderFactory(name="欧阳明"), place="新埭镇")
    SalonEventFactory(host=LeaderFactory(name="李华"), place="当湖街道")
    with django_assert_max_num_queries(12):
        response = read_client.get("/api/v1/salon-events/", {"q": "oym"})
    assert {row["id"] for row in response.json()["results"]} == {wanted.pk}


def test_enterprise_metrics_by_the_enterprises_pinyin(read_client):
    wanted = EnterpriseAnnualMetricFactory(enterprise__name="长城汽车股份有限公司")
    EnterpriseAnnualMetricFactory(enterprise__name="浙江景兴纸业")
    response = read_client.get("/api/v1/enterprise-metrics/", {"q": "changcheng"})
    assert {row["id"] for row in response.json()["results"]} == {wanted.pk}


def test_land_parcels_by_notes(read_client):
    LandParcelFactory(number="平湖地块-A", notes="原纺织厂腾退")
    LandParcelFactory(number="平湖地块-B", notes="新规划工业用地")
    assert _names(read_client.get("/api/v1/land-parcels/", {"q": "纺织"}), "number") == {"平湖地块-A"}


def test_notifications_by_title_only_in_ones_own_inbox(read_client, superuser):
    Notification.objects.create(recipient=superuser, kind="test", title="跟进到期：长城汽车")
    Notification.objects.create(recipient=superuser, kind="test", title="报告待审")
    Notification.objects.create(recipient=UserFactory(), kind="test", title="跟进到期：长城汽车")
    assert _names(read_client.get("/api/v1/notifications/", {"q": "长城"}), "title") == {"跟进到期：长城汽车"}
    assert len(read_client.get("/api/v1/notifications/", {"q": "长城"}).json()["results"]) == 1
