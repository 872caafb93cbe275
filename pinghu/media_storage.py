"""Where uploaded files (visit photos) are kept: ``STORAGES["default"]`` built from the environment.

``PINGHU_MEDIA_STORAGE=local`` (the default): the local filesystem under ``PINGHU_MEDIA_ROOT``.
``PINGHU_MEDIA_STORAGE=s3``: any S3-compatible object store (AWS, MinIO, Aliyun OSS, Tencent COS…)
through django-storages, with the bucket, endpoint and keys from the environment. Either way the
files are private: the site serves them itself after a permission check (the photo views),
so no public URL is configured. Read at start-up by ``pinghu.settings``; docs/deploy.md lists the variables.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

S3_REQUIRED = ("PINGHU_S3_BUCKET",)


def media_storage(environ: Mapping[str, str], *, media_root: str) -> dict:
    """The ``STORAGES["default"]`` entry the environment asks for; ImproperlyConfigured if it is incomplete."""
    kind = environ.get("PINGHU_MEDIA_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        # No base_url: the files are never served from a URL of their own.
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media_root}}
    if kind != "s3":
        raise ImproperlyConfigured(f"PINGHU_MEDIA_STORAGE={kind!r}: use 'local' or 's3'.")
    missing = [name for name in S3_REQUIRED if not environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"PINGHU_MEDIA_STORAGE=s3 needs {', '.join(missing)}.")
    options = {
        "bucket_name": environ["PINGHU_S3_BUCKET"],
        # Without keys, boto3 finds credentials itself (an instance role, ~/.aws): none are required here.
        "access_key": environ.get("PINGHU_S3_ACCESS_KEY") or None,
        "secret_key": environ.get("PINGHU_S3_SECRET_KEY") or None,
        "endpoint_url": environ.get("PINGHU_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("PINGHU_S3_REGION") or None,
        "location": environ.get("PINGHU_S3_PREFIX", ""),
        # Private objects, never overwritten (names are UUIDs anyway), read only through the site.
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "addressing_style": environ.get("PINGHU_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {k: v for k, v in options.items() if v is not None}}
