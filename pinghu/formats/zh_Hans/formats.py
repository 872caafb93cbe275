"""Simplified Chinese: thousands grouped by three with a comma, as government statistics write them (39,545,650.50).

Django's zh_Hans locale groups by four with no separator, so a grouped number came out ungrouped.
Everything else (dates, input formats) still comes from Django's zh_Hans locale.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
