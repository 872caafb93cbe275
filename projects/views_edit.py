"""Pages that change a project where it is read: its edit page and its stage moves (one small page per move).

Both work without JavaScript. Who may: ``projects.change_project`` with its object rule (``projects.rules``);
the moves offered are ``projects.moves.project_moves_for``; the writes are ``project_update`` and
``project_move``, which refuse a stale version (the user's input stays on the page, nothing is saved).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pinghu.forms import add_refusal
from pinghu.history import history_entries
from pinghu.pages import require

from .choices import ProjectStage
from .forms_edit import ProjectEditForm
from .forms_moves import StageMoveForm
from .models import Project
from .moves import project_moves_for
from .services import project_update


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's own fields and its assignment (GET), saved by ``project_update`` with the version read (POST).

    A refusal (a stale version, an assignment the user may not make, a rule of the project) shows the
    form again with what the user typed and the reasons; nothing is saved.
    """
    project = get_object_or_404(
        Project.objects.select_related("chain", "investor", "responsible_official", "responsible_unit"), pk=pk
    )
    require(request, "projects.change_project", project)
    form = ProjectEditForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project_update(
                project=project,
                data=form.changes,
                expected_version=form.expected_version,
                confirm_large_amounts=bool(form.cleaned_data.get("confirm_large_amounts")),
                by=request.user,
            )
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Project saved: %(project)s.") % {"project": project.name})
            return redirect("projects:project-detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"project": project, "form": form, "history": history_entries(project, limit=5)}
    return render(request, "projects/project_edit.html", context, status=status)


@login_required
def project_move_page(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The form of one move (GET), and the move (POST): back to the project, or the form again with the reasons."""
    project = get_object_or_404(Project.objects.select_related("chain", "investor", "signing_event"), pk=pk)
    require(request, "projects.change_project", project)
    offered = {move.to_stage for move in project_moves_for(project, request.user)}
    if stage not in offered:
        messages.error(
            request,
            _("%(project)s cannot move from %(from)s to %(to)s now.")
            % {"project": project.name, "from": project.get_stage_display(), "to": _stage_name(stage)},
        )
        return redirect("projects:project-detail", pk=pk)
    form = StageMoveForm(request.POST or None, project=project, to_stage=stage)
    if request.method == "POST" and form.is_valid() and form.save(by=request.user) is not None:
        messages.success(request, _("Stage changed to %(stage)s.") % {"stage": form.move.label})
        return redirect("projects:project-detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/project_move.html", {"project": project, "form": form}, status=status)


def _stage_name(stage: str) -> str:
    return str(ProjectStage(stage).label) if stage in ProjectStage.values else stage
