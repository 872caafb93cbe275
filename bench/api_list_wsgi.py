"""The WSGI app of ``bench/api_list.py --gunicorn``: the site, and the list page's hand-written baseline beside it.

``/bench-baseline/`` answers what ``GET /api/v1/projects/?page_size=100`` answers, made by hand
(``api_list.baseline_body``: the count and the page's SQL, ``json``) in the same gunicorn worker,
on the same kind of database connection: kept between requests and checked before reuse, as
Django's handler does around every request (``close_old_connections``). No middleware, no
authentication: what the API does beyond its SQL and its JSON is what the ratio measures.
Never part of the site (``pinghu.wsgi`` is): gunicorn loads it as ``bench.api_list_wsgi``.
"""

import sys
from pathlib import Path

from django.db import close_old_connections

from pinghu.wsgi import application as site

# After the project's own modules (bench/notifications.py would hide the notifications app if it came first).
sys.path.append(str(Path(__file__).resolve().parent))
from api_list import baseline_body


def application(environ, start_response):
    if environ.get("PATH_INFO") != "/bench-baseline/":
        return site(environ, start_response)
    close_old_connections()
    try:
        body = baseline_body(environ.get("HTTP_HOST", "localhost"))
    finally:
        close_old_connections()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
