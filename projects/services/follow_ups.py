"""Follow-ups: written only on a project the writer may change, whether by the page, the admin or its inline."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pinghu.permissions import may

from ..models import FollowUp, Project


@transaction.atomic
def follow_up_save(*, follow_up: FollowUp, by: AbstractBaseUser) -> FollowUp:
    """Add ``follow_up`` (its author is ``by``) or save changes to it; returns it saved.

    The one rule: ``by`` may change the project the follow-up is on (``projects.change_project``
    and its object rule: admins, the project's author, its responsible official, its chain's
    leaders) and, when an existing follow-up is moved, the project it was on as well. Refused with
    a ValidationError on ``project``, which the admin shows on its form and the page as a message.
    """
    if follow_up.pk is None:
        follow_up.author = follow_up.author or by
        projects = [follow_up.project]
    else:
        before = FollowUp.objects.select_related("project").get(pk=follow_up.pk)
        projects = (
            [before.project] if before.project_id == follow_up.project_id else [before.project, follow_up.project]
        )
    for project in projects:
        _check_may_follow_up(by, project)
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def _check_may_follow_up(by: AbstractBaseUser, project: Project) -> None:
    if not may(by, "projects.change_project", project):
        raise ValidationError(
            {
                "project": _(
                    "Project: you may not add or move follow-ups to %(project)s; only those who may change "
                    "the project (its author, its responsible official, its chain's leaders and administrators) may."
                )
                % {"project": project}
            }
        )
