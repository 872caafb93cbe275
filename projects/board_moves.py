"""Moving a card of the pipeline board: the moves it offers, and one move's form and the move.

Either way (dragged to a column or its "Move" button) the move asks what it needs on ``StageMoveForm``
(``projects.forms_moves``) and is made by ``project_move``, the service the project page's moves use.
The pages work without JavaScript; ``static/pinghu/board.js`` fetches them (``X-Requested-With: fetch``),
shows their form in a dialog, and puts the card back when a move is refused (a JSON message).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pinghu.permissions import DENIED, may

from .choices import ProjectStage
from .forms_moves import StageMoveForm
from .models import Project
from .moves import project_moves_for

# A card offers what the project's page offers: the moves that can succeed, for whoever may change it.
board_moves = project_moves_for


def _fetched(request: HttpRequest) -> bool:
    return request.headers.get("x-requested-with") == "fetch"


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """A move that cannot be made: a JSON message for the board's script (the card goes back), else the board."""
    if _fetched(request):
        return JsonResponse({"ok": False, "message": message}, status=status)
    messages.error(request, message)
    return redirect("projects:board")


def _project(pk: int) -> Project:
    return get_object_or_404(Project.objects.select_related("chain", "investor", "signing_event"), pk=pk)


def _denied(request: HttpRequest, project: Project) -> HttpResponse | None:
    """403 with the project's name unless the user may change it (``projects.change_project`` and its rule)."""
    if may(request.user, "projects.change_project", project):
        return None
    return _refuse(request, _("%(project)s: %(reasons)s") % {"project": project.name, "reasons": DENIED}, 403)


@login_required
def board_move_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """The moves a card offers (its "Move" button): one button per stage it can move to."""
    project = _project(pk)
    if (denied := _denied(request, project)) is not None:
        return denied
    moves = board_moves(project, request.user)
    if not moves:
        message = _("%(project)s is at %(stage)s: it moves no further.")
        return _refuse(request, message % {"project": project.name, "stage": project.get_stage_display()}, 409)
    template = "projects/includes/board_move_choices.html" if _fetched(request) else "projects/board_move.html"
    return render(request, template, {"project": project, "moves": moves})


@login_required
def board_move(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """One move's form (GET) and the move (POST), for a card dropped on a column or moved with its button."""
    project = _project(pk)
    if (denied := _denied(request, project)) is not None:
        return denied
    moves = board_moves(project, request.user)
    if stage not in {move.to_stage for move in moves}:
        target = str(ProjectStage(stage).label) if stage in ProjectStage.values else stage
        message = _("%(project)s cannot move from %(from)s to %(to)s.") % {
            "project": project.name,
            "from": project.get_stage_display(),
            "to": target,
        }
        return _refuse(request, message, 409)
    form = StageMoveForm(request.POST or None, project=project, to_stage=stage)
    if request.method == "POST" and form.is_valid() and (moved := form.save(by=request.user)) is not None:
        # Shown on the board the script reloads, as on the one a plain POST is sent back to.
        messages.success(
            request, _("%(project)s moved to %(stage)s.") % {"project": moved.name, "stage": form.move.label}
        )
        if _fetched(request):
            return JsonResponse({"ok": True, "stage": moved.stage})
        return redirect("projects:board")
    status = 400 if request.method == "POST" else 200
    template = "projects/includes/board_move_form.html" if _fetched(request) else "projects/board_move.html"
    return render(request, template, {"project": project, "form": form}, status=status)
