"""The project list's bulk actions (for bureau staff): assign, sign at a conference, put on hold, export.

The list posts the checked rows and the action here; the writes are ``projects.services.selection``
(one transaction per action, all rows or none); an export is the API's CSV/Excel export of those rows.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinghu.pages import form_problems, require
from pinghu.permissions import EXPORT, may

from .forms import ProjectSelectionForm
from .rules import BULK_EDIT
from .services.selection import SelectionRefused, project_bulk_assign, project_bulk_hold, project_bulk_sign

# What each action needs beyond the bulk permission (the service checks ASSIGN again for an official).
ACTION_PERMISSIONS = {
    ProjectSelectionForm.ASSIGN_OFFICIAL: [BULK_EDIT, "projects.assign_project"],
    ProjectSelectionForm.ASSIGN_UNIT: [BULK_EDIT],
    ProjectSelectionForm.SIGN: [BULK_EDIT, "projects.change_signingevent"],
    ProjectSelectionForm.HOLD: [BULK_EDIT],
    ProjectSelectionForm.EXPORT_CSV: [EXPORT],
    ProjectSelectionForm.EXPORT_XLSX: [EXPORT],
}


def selection_actions(user) -> list[str]:
    """The bulk actions ``user`` may use (the list shows these only)."""
    return [action for action, perms in ACTION_PERMISSIONS.items() if all(may(user, perm) for perm in perms)]


def selection_context(request: HttpRequest) -> dict:
    """What the project list needs for its bulk actions: the actions allowed and their form (none: no check boxes)."""
    actions = selection_actions(request.user)
    return {
        "bulk_actions": actions,
        "bulk_form": ProjectSelectionForm() if actions else None,
        "bulk_next": request.get_full_path(),
    }


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or not target.startswith("/"):
        target = reverse("projects:project-list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def project_selection(request: HttpRequest) -> HttpResponse:
    """Run one bulk action on the checked projects; back to the list with what was done or which rows failed."""
    form = ProjectSelectionForm(request.POST)
    action = request.POST.get("action")
    for perm in ACTION_PERMISSIONS.get(action, [BULK_EDIT]):
        require(request, perm)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return _back(request)
    data = form.cleaned_data
    projects = list(data["selected"].order_by("name", "pk"))
    if action in (form.EXPORT_CSV, form.EXPORT_XLSX):
        query = urlencode({"ids": ",".join(str(project.pk) for project in projects), "format": action})
        return HttpResponseRedirect(f"{reverse('project-list')}?{query}")
    try:
        if action == form.ASSIGN_OFFICIAL:
            count = project_bulk_assign(
                projects=projects, data={"responsible_official": data["responsible_official"]}, by=request.user
            )
        elif action == form.ASSIGN_UNIT:
            count = project_bulk_assign(
                projects=projects, data={"responsible_unit": data["responsible_unit"]}, by=request.user
            )
        elif action == form.SIGN:
            count = project_bulk_sign(projects=projects, event=data["signing_event"], by=request.user)
        else:
            count = project_bulk_hold(projects=projects, reason=data["reason"], on_date=data["date"], by=request.user)
    except SelectionRefused as refused:
        messages.error(
            request,
            _("Nothing was changed: %(count)d of the %(total)d projects were refused.")
            % {"count": len(refused.failures), "total": len(projects)},
        )
        for message in refused.messages:
            messages.error(request, message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done for %(count)d projects.") % {"count": count})
    return _back(request)
