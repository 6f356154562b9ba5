"""How long the plan importer takes on Word and text files of growing size (prints figures).

Reading must be linear in the document's size: the per-paragraph figure stays flat as documents grow.
Run: .venv/bin/python -m bench.import_documents
"""
from __future__ import annotations

import io
import time

import docx

from services.plans.importer import import_docx, import_text
from services.plans.importer.importer import ImportOptions
from services.plans.importer.isolation import ChildLimits, import_in_child

SIZES = (1_000, 5_000, 10_000, 19_000)


def plan_text(tasks: int) -> str:
    lines = ["UBND XÃ SƠN HẢI", "Số: 12/KH-UBND", "Sơn Hải, ngày 20 tháng 5 năm 2026", "KẾ HOẠCH",
             "Bình đẳng giới trên địa bàn xã Sơn Hải năm 2026", "I. NỘI DUNG THỰC HIỆN", "1. Truyền thông"]
    lines += [f"- Tuyên truyền về bình đẳng giới tại thôn số {n}." for n in range(tasks)]
    lines += ["II. TỔ CHỨC THỰC HIỆN", "1. Phòng Văn hóa - Xã hội", "- Chủ trì triển khai Kế hoạch.",
              "Các cơ quan, đơn vị báo cáo kết quả về UBND xã trước ngày 20/11 hằng năm.", "TM. ỦY BAN NHÂN DÂN",
              "CHỦ TỊCH", "Nguyễn Văn Hải"]
    return "\n".join(lines)


def as_word(text: str) -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    print(f"{'paragraphs':>10} {'txt s':>8} {'docx s':>8} {'docx µs/para':>13} {'docx in child s':>16}")
    for size in SIZES:
        text = plan_text(size)
        word = as_word(text)
        text_seconds = timed(lambda text=text: import_text(text))
        word_seconds = timed(lambda word=word: import_docx(word))
        child_seconds = timed(lambda word=word: import_in_child("ke-hoach.docx", word, ImportOptions(), ChildLimits()))
        print(f"{size:>10,} {text_seconds:>8.3f} {word_seconds:>8.3f} {word_seconds / size * 1e6:>13.1f} "
              f"{child_seconds:>16.3f}")


if __name__ == "__main__":
    main()
