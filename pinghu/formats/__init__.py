"""Number formats that differ from Django's (``FORMAT_MODULE_PATH``): the rest comes from Django's locales."""
