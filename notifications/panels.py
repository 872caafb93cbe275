"""What notifications adds to other pages: the inbox link in the navigation bar (``{% page_panels "navbar" %}``).

The unread count is fetched by the page's script from ``notifications:unread`` once loaded, so the
panel itself reads nothing from the database.
"""


def navbar_badge(request) -> dict | None:
    return {} if request.user.is_authenticated else None
