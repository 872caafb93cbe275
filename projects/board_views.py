"""The pipeline board (项目看板): columns by stage, the list's filters, cards moved through the move form.

The columns are ``projects.board``; a card is moved by dragging it to another column or with its "Move"
button, through ``projects.board_moves`` (the move's form in a dialog, ``static/pinghu/board.js``).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from pinghu.pages import filtered, query_without_page
from pinghu.permissions import may, readable
from pinghu.querystrings import without_format

from .board import board_columns, board_queryset
from .choices import OPEN_STAGES
from .filters import ProjectFilterSet


@readable("projects.view_project")
def board(request: HttpRequest) -> HttpResponse:
    filterset, projects = filtered(request, ProjectFilterSet, board_queryset())
    columns = board_columns(projects)
    base = without_format(request.GET, "page", "stage")
    for column in columns:
        query = base.copy()
        query["stage"] = column.stage
        column.more_url = f"{reverse('projects:project-list')}?{query.urlencode()}"
    return render(
        request,
        "projects/board.html",
        {
            "filter": filterset,
            "columns": columns,
            "query": query_without_page(request),
            "may_move": may(request.user, "projects.change_project"),
            "open_stages": OPEN_STAGES,
        },
    )
