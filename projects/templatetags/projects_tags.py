"""Template filters about projects and enterprise problems: the labels of their stages and statuses.

Site-wide filters (amounts, percentages, query strings, permissions) are ``pinghu_tags``.
"""

from django import template

from projects.choices import IssueStatus, ProjectStage

register = template.Library()


@register.filter
def stage_label(stage: str) -> str:
    """The translated label of a stage value."""
    return str(ProjectStage(stage).label)


@register.filter
def issue_status_label(status: str) -> str:
    """The translated label of a problem's status."""
    return str(IssueStatus(status).label)
