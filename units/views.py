"""Pages of units for bureau staff: the list, a unit with its members, and the names still to map.

Views are thin: filters are the API's FilterSet, reads come from ``selectors``, writes go through
``services``; who may do what is ``pinghu.permissions`` (bureau staff change units, every role reads).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinghu.forms import bootstrap
from pinghu.history import history_entries
from pinghu.pages import filtered, paginate, query_without_page, require
from pinghu.permissions import may, readable

from . import selectors
from .filters import UnitFilterSet
from .forms import MapNameForm
from .models import Unit
from .services import unit_create_from_name, unit_map_name


@readable("units.view_unit")
def unit_list(request: HttpRequest) -> HttpResponse:
    """Units: search, kind, active; each with its parent and how many members it has."""
    filterset, units = filtered(request, UnitFilterSet, selectors.unit_list().order_by("kind", "name", "pk"))
    page = paginate(request, units)
    return render(
        request,
        "units/unit_list.html",
        {
            "filter": filterset,
            "page": page,
            "count": page.paginator.count,
            "query": query_without_page(request),
            "may_map": may(request.user, "units.change_unit"),
        },
    )


@readable("units.view_unit")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit: kind, parent, sub-units, members, history."""
    try:
        unit = selectors.unit_detail(pk)
    except Unit.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "units/unit_detail.html",
        {"unit": unit, "history": history_entries(unit), "may_change": may(request.user, "units.change_unit")},
    )


@login_required
def unmapped_list(request: HttpRequest) -> HttpResponse:
    """The unit names the migration matched to no unit, where they occur, and a form to map each."""
    require(request, "units.change_unit")
    names = selectors.unmapped_names()
    forms = [
        (name, f"n{index}", bootstrap(MapNameForm(initial={"text": name.text}, prefix=f"n{index}")))
        for index, name in enumerate(names)
    ]
    return render(request, "units/unmapped_list.html", {"names": forms})


@login_required
@require_POST
def unmapped_map(request: HttpRequest) -> HttpResponse:
    """Map one name: to the unit chosen, or to a new unit of that name (and the kind chosen)."""
    require(request, "units.change_unit")
    prefix = request.POST.get("prefix", "")
    form = MapNameForm(request.POST, prefix=prefix or None)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("units:unmapped")
    text = form.cleaned_data["text"]
    try:
        if form.cleaned_data.get("unit") is not None:
            unit = form.cleaned_data["unit"]
            count = unit_map_name(text=text, unit=unit, by=request.user)
        else:
            unit, count = unit_create_from_name(text=text, kind=form.cleaned_data["kind"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("units:unmapped")
    messages.success(
        request,
        _("“%(text)s” mapped to %(unit)s on %(count)d rows.") % {"text": text, "unit": unit.name, "count": count},
    )
    return redirect("units:unmapped")
