"""Dates as Milieu writes them: "3 Jun 2027", and "3 Jun 2027 14:05" with a time.

Only the names set here differ from Django's English formats. A long form with the
month in full ("3 June 2027", on certificates and in reminder emails) is
``LONG_DATE_FORMAT``, passed by name: ``date_format(day, LONG_DATE_FORMAT)``.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"

# Not one of Django's format names: imported where the month is written in full.
LONG_DATE_FORMAT = "j F Y"
