"""The 500 page renders as Django's ``server_error`` renders it: no request, no user, no database needed."""

from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_server_error_page_renders_without_the_requests_context(django_assert_num_queries):
    with django_assert_num_queries(0):  # the database may be what failed
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"500" in response.content and b'id="pinghu-offline"' in response.content
