"""A service's field errors (the JSON error body's `error.fields`) as the pages show them next to their fields."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


def field_errors(answer: Any, field_of: Callable[[list[str]], str | None],
                 fallback: Callable[[str], str]) -> dict[str, str]:
    """Form field -> Vietnamese message, for each of the service's field errors that `field_of` places on the form
    (it gets the error's path split at dots). The message: the refusal's own when it is a rule of the service (not
    a schema's validation), else the problem when written in Vietnamese, else `fallback(form field)`."""
    if not isinstance(answer, dict) or not isinstance(answer.get("error"), dict):
        return {}
    error = answer["error"]
    ruled = error.get("code") not in (None, "validation_error") and len(error.get("fields") or []) == 1
    errors: dict[str, str] = {}
    for entry in error.get("fields") or []:
        name = field_of(str(entry.get("field", "")).split("."))
        if name is None or name in errors:
            continue
        problem = str(entry.get("problem", ""))
        if ruled and error.get("message"):
            errors[name] = str(error["message"])
        elif any(ord(character) > 127 for character in problem):
            errors[name] = problem[:1].upper() + problem[1:] + ("" if problem.endswith(".") else ".")
        else:
            errors[name] = fallback(name)
    return errors
