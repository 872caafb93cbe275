"""``/search/`` and ``/search/quick/``: grouped results, states, permissions, query counts."""

import pytest
from django.urls import reverse

from pinghu.permissions import Role
from tests.factories import EnterpriseFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_page_groups_results_and_says_why(admin_client, world):
    response = admin_client.get(reverse("search:page"), {"q": "ccqc"})
    assert response.status_code == 200
    html = response.content.decode()
    for section in ['data-search-group="enterprises"', 'data-search-group="projects"', 'data-search-group="visits"']:
        assert section in html
    assert "拼音首字母: <mark>ccqc</mark>" in html
    assert reverse("projects:project-detail", args=[world["project"].pk]) in html


def test_page_empty_and_no_result_states_in_chinese(admin_client, db):
    response = admin_client.get(reverse("search:page"))
    assert 'data-search-state="empty"' in response.content.decode()
    response = admin_client.get(reverse("search:page"), {"q": "不存在的名字"})
    assert "没有找到与“不存在的名字”相关的结果" in response.content.decode()


def test_page_needs_a_login(client, db):
    response = client.get(reverse("search:page"), {"q": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_page_shows_only_what_the_user_may_read(client, world):
    client.force_login(UserFactory())  # no role: reads nothing
    html = client.get(reverse("search:page"), {"q": "changcheng"}).content.decode()
    assert "data-search-group" not in html and 'data-search-state="none"' in html
    client.force_login(UserFactory(roles=[Role.OFFICIAL]))
    html = client.get(reverse("search:page"), {"q": "changcheng"}).content.decode()
    assert 'data-search-group="projects"' in html


def test_more_of_one_type(admin_client, db):
    for n in range(10):
        EnterpriseFactory(name=f"长城配件{n}厂")
    html = admin_client.get(reverse("search:page"), {"q": "ccpj"}).content.decode()
    assert html.count("data-search-hit") == 8 and "type=enterprises" in html
    html = admin_client.get(reverse("search:page"), {"q": "ccpj", "type": "enterprises"}).content.decode()
    assert html.count("data-search-hit") == 10


def test_quick_results_json(admin_client, world):
    body = admin_client.get(reverse("search:quick"), {"q": "changcheng"}).json()
    assert body["q"] == "changcheng"
    groups = {group["key"]: group for group in body["groups"]}
    assert groups["enterprises"]["hits"][0]["title"] == "长城汽车股份有限公司"
    assert groups["enterprises"]["hits"][0]["why"] == ["全拼: changchengqichegufenyouxiangongsi"]
    assert admin_client.get(reverse("search:quick"), {"q": ""}).json()["groups"] == []


@pytest.mark.parametrize("count", [1, 30])
def test_query_count_does_not_grow_with_the_results(admin_client, db, django_assert_max_num_queries, count):
    for n in range(count):
        ProjectFactory(name=f"长城项目{n}", investor=EnterpriseFactory(name=f"长城企业{n}"))
    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("search:page"), {"q": "changcheng"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("search:quick"), {"q": "cc"}).status_code == 200
