"""JSON rendered with orjson: the same JSON as DRF's renderer (for the data this API returns), faster."""

import datetime
import decimal
import uuid

import orjson
from rest_framework.renderers import JSONRenderer


def _default(value):
    # What DRF's encoder does for the types orjson leaves to us (lazy translations, decimals, …).
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.timedelta):
        return str(value.total_seconds())
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "__iter__") and not isinstance(value, (str, bytes)):
        return list(value)
    return str(value)


class ORJSONRenderer(JSONRenderer):
    """DRF's JSONRenderer, serialising with orjson (UTF-8, no escaped non-ASCII, like DRF's compact output)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)
