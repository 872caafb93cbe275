"""Simplified Chinese number formats (see ``formats``)."""
