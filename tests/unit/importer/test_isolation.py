"""The import's child process: the same result as in-process, its errors, its time and memory limits."""
import time

import pytest

from services.plans.importer import NotAPlan, import_text
from services.plans.importer.importer import ImportOptions
from services.plans.importer.isolation import ChildLimits, ImportTimedOut, import_in_child
from services.plans.importer.result import DocumentTooLarge
from tests.support.docx_packages import package
from tests.unit.importer.conftest import SEED, fixture_text

LIMITS = ChildLimits(timeout_seconds=30, memory_mb=1024)


def test_the_child_gives_what_the_importer_gives_in_process(son_hai_directory):
    options = ImportOptions(directory=son_hai_directory, year_hint=2026)
    started = time.perf_counter()
    result = import_in_child(SEED, fixture_text(SEED).encode(), options, LIMITS)
    print(f"\nseed imported in a child process in {time.perf_counter() - started:.2f} s")
    in_process = import_text(fixture_text(SEED), directory=son_hai_directory, year_hint=2026)
    assert result == in_process


def test_the_childs_refusals_come_back_as_the_same_errors():
    with pytest.raises(NotAPlan, match="công văn"):
        import_in_child("cong-van.txt", fixture_text("cong-van-son-hai-bao-cao-binh-dang-gioi.txt").encode(),
                        ImportOptions(), LIMITS)
    with pytest.raises(DocumentTooLarge, match="dòng"):
        import_in_child("ke-hoach.txt", b"- x\n" * 30_000, ImportOptions(), LIMITS)


def test_a_child_over_its_time_is_killed_and_the_import_refused():
    started = time.perf_counter()
    with pytest.raises(ImportTimedOut, match="0.01 giây"):
        import_in_child(SEED, fixture_text(SEED).encode(), ImportOptions(), ChildLimits(timeout_seconds=0.01))
    assert time.perf_counter() - started < 5


def test_a_child_over_its_memory_ends_without_an_answer_and_the_import_is_refused():
    """A main document of 15 MB (empty paragraphs): read within 1 GB (and refused by its paragraphs),
    more than a child limited to 40 MB can allocate."""
    data = package("<w:p/>" * 2_500_000)
    with pytest.raises(DocumentTooLarge, match="đoạn văn"):
        import_in_child("ke-hoach.docx", data, ImportOptions(), LIMITS)
    with pytest.raises(DocumentTooLarge, match="bộ nhớ"):
        import_in_child("ke-hoach.docx", data, ImportOptions(), ChildLimits(memory_mb=40))
