"""Template filters about projects: the labels of their stages.

Site-wide filters (amounts, percentages, query strings, permissions) are ``pinghu_tags``.
"""

from django import template

from projects.choices import ProjectStage

register = template.Library()


@register.filter
def stage_label(stage: str) -> str:
    """The translated label of a stage value."""
    return str(ProjectStage(stage).label)
