"""The portal's date formats, as a Django format module (``FORMAT_MODULE_PATH``):
``{{ day|date }}`` in templates and ``date_format(day)`` in Python write every date
the same way."""
