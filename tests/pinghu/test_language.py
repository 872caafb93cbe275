"""Chinese first, English on request: the admin's language switch and Accept-Language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_is_chinese_by_default(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert "平湖市产业链招商管理平台" in content
    assert 'lang="zh-hans"' in content


def test_accept_language_english(admin_client):
    content = admin_client.get(reverse("admin:index"), headers={"accept-language": "en"}).content.decode()
    assert "Pinghu industrial-chain investment tracker" in content


def test_language_switch_is_offered_and_remembered(admin_client):
    index = reverse("admin:index")
    content = admin_client.get(index).content.decode()
    assert 'name="language" value="en"' in content and "简体中文" in content
    response = admin_client.post(reverse("set_language"), {"language": "en", "next": index})
    assert response.status_code == 302 and response.url == index
    content = admin_client.get(index).content.decode()
    assert "Pinghu industrial-chain investment tracker" in content
    assert 'name="language" value="zh-hans"' in content


def test_login_page_has_the_switch_too(client):
    content = client.get(reverse("admin:login")).content.decode()
    assert 'name="language" value="en"' in content
