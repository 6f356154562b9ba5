"""Run an import in a child process with a time and a memory limit, so a hostile document cannot
starve the service that received it.

Why a process per import: a service is one process on one eventlet hub, which also serves HTTP,
consumes events, relays the outbox and keeps the broker heartbeats. Parsing is CPU-bound Python;
`eventlet.tpool` would move it to an OS thread, but the GIL would still let it starve the hub. A
child process has its own interpreter: the service's hub only polls for it to end. A new process
per import (rather than a pool kept alive) is cheap next to how rare imports are (a commune
imports its plan a few times a year; starting the child costs about a third of a second), needs no
pool state that a killed worker could leave wedged, gives back all of its memory when it ends
(a parse that grew to a gigabyte does not stay in the service), and can be killed on a deadline.

The child reads its request from a file and writes its answer to a file, so the parent needs no
pipes that could fill up: it waits for the child with `Popen.wait`, which eventlet makes
cooperative (a poll every 10 ms), and kills it on the deadline. The child limits its own address
space (RLIMIT_AS) and CPU time (RLIMIT_CPU, a backstop should the parent be gone) before reading.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import pathlib
import resource
import subprocess
import sys
import tempfile
import threading

from pydantic import BaseModel, ConfigDict

from services.plans.importer import importer
from services.plans.importer.result import DocumentTooLarge, ImportResult, NotAPlan, UnreadableDocument

log = logging.getLogger(__name__)

# Two cores: two imports parse at once at most; a third waits for one of them to end.
_RUNNING = threading.BoundedSemaphore(2)
_ERRORS: dict[str, type[UnreadableDocument] | type[NotAPlan]] = {
    "unreadable": UnreadableDocument, "too_large": DocumentTooLarge, "not_a_plan": NotAPlan}


class ImportTimedOut(UnreadableDocument):
    """The child did not finish within the time limit (a document far more complex than a plan)."""


@dataclasses.dataclass(frozen=True)
class ChildLimits:
    timeout_seconds: float = 30.0
    memory_mb: int = 1024


class _Request(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")
    filename: str
    data: bytes
    options: dict  # keyword arguments of importer.import_file, as JSON (see importer.ImportOptions)


def import_in_child(filename: str, data: bytes, options: importer.ImportOptions,
                    limits: ChildLimits) -> ImportResult:
    """importer.import_file(filename, data, options), run in a child process within `limits`."""
    with _RUNNING, tempfile.TemporaryDirectory(prefix="binhdang-import-") as folder:
        request_path, answer_path = pathlib.Path(folder, "request.json"), pathlib.Path(folder, "answer.json")
        request = _Request(filename=filename, data=data, options=options.model_dump(mode="json"))
        request_path.write_text(request.model_dump_json(), encoding="utf-8")
        child = subprocess.Popen(
            [sys.executable, "-m", __name__, str(request_path), str(answer_path), str(limits.memory_mb),
             str(int(limits.timeout_seconds) + 1)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            status = child.wait(timeout=limits.timeout_seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            log.warning("import child killed after %ss", limits.timeout_seconds)
            raise ImportTimedOut(
                f"Văn bản không đọc xong trong {limits.timeout_seconds:g} giây: quá phức tạp đối với một kế hoạch; "
                "hãy kiểm tra lại tệp.") from None
        answer = json.loads(answer_path.read_text(encoding="utf-8")) if answer_path.exists() else None
    if answer is None:  # killed by its memory or CPU limit, or crashed: it wrote nothing
        log.warning("import child ended with status %s and no answer", status)
        raise DocumentTooLarge("Văn bản cần quá nhiều bộ nhớ hoặc thời gian để đọc; không phải một kế hoạch "
                               "thông thường.")
    if "error" in answer:
        raise _ERRORS[answer["error"]](answer["message"])
    return ImportResult.model_validate(answer["result"])


def _child(request_path: str, answer_path: str, memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    request = _Request.model_validate_json(pathlib.Path(request_path).read_text(encoding="utf-8"))
    answer: dict[str, object]
    try:
        result = importer.import_file(request.filename, request.data,
                                      **importer.ImportOptions.model_validate(request.options).as_arguments())
        answer = {"result": result.model_dump(mode="json")}
    except DocumentTooLarge as error:
        answer = {"error": "too_large", "message": str(error)}
    except UnreadableDocument as error:
        answer = {"error": "unreadable", "message": str(error)}
    except NotAPlan as error:
        answer = {"error": "not_a_plan", "message": str(error)}
    partial = pathlib.Path(answer_path + ".partial")  # the parent sees a whole answer or none
    partial.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    partial.rename(answer_path)


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
