"""How much of a document the importer reads: a plan is a few hundred paragraphs, far below these.

Every limit is checked before the work it bounds (a part's size before it is decompressed, the
number of paragraphs while they are counted), so a hostile file costs little to refuse.
"""
from __future__ import annotations

MAX_PARAGRAPHS = 20_000          # paragraphs of a Word file, lines of a text file (the seed: 172 lines)
MAX_CHARACTERS = 1_000_000       # characters of text read (the seed: about 20,000)
MAX_PART_BYTES = 16 * 1024 * 1024   # decompressed size of one part of a Word file that is read
MAX_PACKAGE_PARTS = 2_000        # entries of a Word file's zip archive


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # 20.000: Vietnamese groups thousands with dots


TOO_MANY_LINES = (f"Văn bản có hơn {_number(MAX_PARAGRAPHS)} dòng, quá dài đối với một kế hoạch; hãy kiểm tra lại "
                  "tệp (có thể chứa nhiều dòng trống).")
TOO_MANY_PARAGRAPHS = (f"Văn bản có hơn {_number(MAX_PARAGRAPHS)} đoạn văn, quá dài đối với một kế hoạch; hãy kiểm "
                       "tra lại tệp (có thể chứa nhiều đoạn trống).")
TOO_MANY_CHARACTERS = f"Văn bản có hơn {_number(MAX_CHARACTERS)} ký tự, quá dài đối với một kế hoạch."
PART_TOO_LARGE = ("Tệp Word có thành phần “{name}” lớn hơn " + _number(MAX_PART_BYTES // (1024 * 1024))
                  + " MB khi giải nén; không phải một văn bản thông thường (có thể là tệp nén độc hại).")
TOO_MANY_PARTS = (f"Tệp Word có hơn {_number(MAX_PACKAGE_PARTS)} thành phần; không phải một văn bản thông thường.")
