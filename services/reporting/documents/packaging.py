"""Office files (DOCX, XLSX) are zip packages. python-docx and openpyxl stamp every zip entry with the time of
saving, so the same content would give different bytes on every save. `stable_package` writes the entries
again, in the same order, with one fixed timestamp: the same content then gives the same bytes and the same
hash (a submitted report is stored with its hash).
"""
from __future__ import annotations

import io
import zipfile

# The earliest time a zip entry can carry (DOS time starts in 1980); what reproducible builds use.
FIXED_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def stable_package(package: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=FIXED_ENTRY_TIME)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, source.read(entry))
    return out.getvalue()
