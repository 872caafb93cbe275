"""Serving a visit's photos: only to those who may read the visit, never from a public media URL.

The file is streamed through Django from whichever storage holds it (the local filesystem or an S3
bucket): the page's <img> stays on this host (CSP ``img-src 'self'``), and a photo is never reachable
without the permission check. ``Cache-Control: private, no-cache`` with an ETag: the browser keeps its
copy but asks each time, so a signed-out or demoted user's browser does not show it again unasked;
the answer to that question is a cheap 304.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from pinghu.pages import require

from .models import VisitPhoto

VARIANTS = {"full": "image", "thumb": "thumbnail", "download": "image"}


@require_safe
@login_required
def visit_photo(request: HttpRequest, pk: int, variant: str = "full") -> HttpResponse:
    """One photo (``full``), its thumbnail (``thumb``) or the photo as an attachment (``download``)."""
    if variant not in VARIANTS:
        raise Http404
    photo = get_object_or_404(VisitPhoto.objects.select_related("visit"), pk=pk)
    require(request, "projects.view_investmentvisit", photo.visit)
    stored = getattr(photo, VARIANTS[variant])
    etag = f'"{stored.name.rsplit("/", 1)[-1]}-{variant}"'  # a stored name is never reused: a strong tag
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        try:
            handle = stored.storage.open(stored.name, "rb")
        except (FileNotFoundError, OSError) as missing:
            raise Http404 from missing
        content_type = "image/jpeg" if variant == "thumb" else photo.content_type
        response = FileResponse(
            handle, content_type=content_type, as_attachment=variant == "download", filename=photo.download_name
        )  # inline unless downloaded, named either way: "save image as" offers the original name
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
