"""What notifications adds to other pages: the unread count in the navigation bar (``{% page_panels "navbar" %}``)."""

from .selectors import unread_count


def navbar_badge(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return {"unread": unread_count(request.user)}
