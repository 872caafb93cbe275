"""Template filters of the problem pages."""

from django import template

from aftercare.choices import IssueStatus

register = template.Library()


@register.filter
def issue_status_label(status: str) -> str:
    """The translated label of a problem's status."""
    return str(IssueStatus(status).label)
