"""Dates as a US agency writes them: "Dec 7, 2026", "9:00 AM", "Dec 7, 2026, 9:00 AM".

The one source for every date a page, an email or a PDF shows. Django's named formats
are passed by name: ``{{ day|date:"DATE_FORMAT" }}`` (or plain ``{{ day|date }}``),
``{{ moment|time:"TIME_FORMAT" }}``, ``date_format(day)``. The forms Django has no name
for (the month in full, a weekday) are the constants below, used in Python as
``date_format(day, LONG_DATE_FORMAT)`` and in templates through the filters of
``portal.templatetags.us_dates`` (``long_date``, ``weekday_date``, ...). CSV files and
machine-read values stay ISO 8601. Typed dates in forms use Django's English input
formats (ISO, then US order: 12/07/2026).
"""

DATE_FORMAT = "M j, Y"  # Dec 7, 2026
DATETIME_FORMAT = "M j, Y, g:i A"  # Dec 7, 2026, 9:00 AM
TIME_FORMAT = "g:i A"  # 9:00 AM
SHORT_DATE_FORMAT = "m/d/Y"  # 12/07/2026
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"  # 12/07/2026 9:00 AM
MONTH_DAY_FORMAT = "M j"  # Dec 7
YEAR_MONTH_FORMAT = "F Y"  # December 2026

# Not Django format names: imported where a page or email needs them.
LONG_DATE_FORMAT = "F j, Y"  # December 7, 2026 (certificates, reminder emails)
WEEKDAY_DATE_FORMAT = "D, M j, Y"  # Mon, Dec 7, 2026
WEEKDAY_DATETIME_FORMAT = "D, M j, Y, g:i A"  # Mon, Dec 7, 2026, 9:00 AM
WEEKDAY_MONTH_DAY_TIME_FORMAT = "D, M j, g:i A"  # Mon, Dec 7, 9:00 AM
MONTH_DAY_TIME_FORMAT = "M j, g:i A"  # Dec 7, 9:00 AM
LONG_WEEKDAY_DATE_FORMAT = "l, F j, Y"  # Monday, December 7, 2026
LONG_DATETIME_FORMAT = "F j, Y, g:i A"  # December 7, 2026, 9:00 AM
# With the zone's abbreviation, where a reader may be elsewhere (exports, PDFs).
DATETIME_ZONE_FORMAT = "M j, Y, g:i A T"  # Dec 7, 2026, 9:00 AM EST
