"""Import a commune's plan (Kế hoạch) from a Word or text file into a draft PlanDocument.

Pure functions: no nameko, no database. The officer reviews the draft and the warnings, which
point at the source line of every anomaly found (skipped numbers, broken paragraphs, typos ...).
"""
from services.plans.importer.importer import import_docx, import_file, import_text
from services.plans.importer.result import ImportResult, ImportWarning, NotAPlan, UnreadableDocument

__all__ = ["ImportResult", "ImportWarning", "NotAPlan", "UnreadableDocument", "import_docx", "import_file",
           "import_text"]
