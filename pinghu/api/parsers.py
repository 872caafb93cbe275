"""The JSON request parser: DRF's, refusing bodies nested too deep with a 400 instead of failing with a 500.

Python's ``json`` module recurses once per level; a 2 KB body of 1,000 nested brackets exhausts the
interpreter's stack (``RecursionError``). No resource of this API nests more than a few levels, so
anything deeper than ``MAX_DEPTH`` is refused as a parse error, whatever parsed it.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def depth_of(data) -> int:
    """How many arrays and objects are nested in ``data`` (iteratively: the check must not recurse itself)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


class BoundedJSONParser(JSONParser):
    """``application/json`` bodies at most ``MAX_DEPTH`` levels deep; deeper ones get 400 with ``detail``."""

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(_("The JSON body is nested more than %(limit)d levels deep.") % {"limit": MAX_DEPTH})
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if depth_of(data) > MAX_DEPTH:
            raise too_deep
        return data
