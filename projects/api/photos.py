"""A visit's photos in the API: listed on the visit, added (multipart) and removed under ``/visits/<id>/photos/``.

Adding and removing follow the visit's change rule (``projects.change_investmentvisit`` with its
object rule); the files are served, like the visit, to those who may read it.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from pinghu.api.viewsets import ERRORS, READ_ERRORS
from projects.models import MAX_PHOTOS_PER_VISIT, VisitPhoto
from projects.services import photo_remove, photos_change

CHANGE = ["projects.change_investmentvisit"]


class VisitPhotoSerializer(serializers.ModelSerializer):
    """A stored photo: its size after re-encoding and where to fetch it (with a session or a token)."""

    url = serializers.SerializerMethodField(help_text=_("The photo, for a signed-in browser."))
    thumbnail_url = serializers.SerializerMethodField(help_text=_("Its thumbnail, for a signed-in browser."))
    file_url = serializers.SerializerMethodField(help_text=_("The photo through the API (a token will do)."))
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = VisitPhoto
        fields = [
            "id",
            "caption",
            "original_name",
            "content_type",
            "width",
            "height",
            "byte_size",
            "uploaded_by",
            "created_at",
            "url",
            "thumbnail_url",
            "file_url",
        ]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, photo) -> str:
        return self._absolute(reverse("projects:visit-photo", args=[photo.pk]))

    def get_thumbnail_url(self, photo) -> str:
        return self._absolute(reverse("projects:visit-photo-variant", args=[photo.pk, "thumb"]))

    def get_file_url(self, photo) -> str:
        return self._absolute(reverse("visit-photo-file", args=[photo.visit_id, photo.pk]))


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        allow_empty=False,
        max_length=MAX_PHOTOS_PER_VISIT,
        help_text=_("JPEG, PNG or WebP, at most 10 MB each; at most 5 photos per visit."),
    )
    captions = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False, default=list
    )


class VisitPhotosMixin:
    """Actions of the visit viewset: ``POST photos/`` (multipart), ``GET``/``DELETE photos/<photo_id>/``."""

    action_permissions = {"photos": CHANGE, "photo_delete": CHANGE}

    @extend_schema(
        summary=_("Add photos to a visit"),
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: VisitPhotoSerializer(many=True), **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser],
        serializer_class=PhotoUploadSerializer,
        pagination_class=None,
    )
    def photos(self, request, pk=None):
        visit = self.get_object()  # the visit's change rule, by action_permissions
        body = PhotoUploadSerializer(data={"photos": request.FILES.getlist("photos"), **_captions(request)})
        body.is_valid(raise_exception=True)
        try:
            added = photos_change(
                visit, add=body.validated_data["photos"], captions=body.validated_data["captions"], by=request.user
            )
        except ValidationError as error:
            raise ApiValidationError(error.message_dict) from error
        data = VisitPhotoSerializer(added, many=True, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Remove a photo from a visit"), request=None, responses={204: None, **ERRORS})
    @action(detail=True, methods=["delete"], url_path=r"photos/(?P<photo_id>[0-9]+)", url_name="photo-delete")
    def photo_delete(self, request, pk=None, photo_id=None):
        visit = self.get_object()
        photo_remove(get_object_or_404(VisitPhoto, visit=visit, pk=photo_id), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("One photo of a visit, as stored (JPEG or PNG)"),
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
            **READ_ERRORS,
        },
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_id>[0-9]+)/file", url_name="photo-file")
    def photo_file(self, request, pk=None, photo_id=None):
        visit = self.get_object()
        photo = get_object_or_404(VisitPhoto, visit=visit, pk=photo_id)
        try:
            handle = photo.image.storage.open(photo.image.name, "rb")
        except OSError as missing:
            raise Http404 from missing
        response = FileResponse(handle, content_type=photo.content_type, filename=photo.download_name)
        response["Cache-Control"] = "private, no-cache"
        return response


def _captions(request) -> dict:
    captions = request.data.getlist("captions") if hasattr(request.data, "getlist") else []
    return {"captions": captions} if captions else {}
