"""Domain and API errors, and their one mapping to JSON HTTP responses.

Handlers raise these (or let pydantic raise ValidationError); `map_exception`
turns any exception into a status and a JSON body with status, code, message and field details.
A dependency that is away (the database down, a lock time-out) is a 503 the caller may
retry, logged once per outage by the database layer. Other unexpected exceptions become
a 500 with a generic message and are logged, never echoed to the caller.
"""
from __future__ import annotations

import json
import logging

from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from services.common.transient import is_transient

log = logging.getLogger(__name__)


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: list[dict] | None = None, code: str | None = None,
                 extra: dict | None = None):
        """`extra`: more members of the JSON body beside "error" (e.g. the draft a refused import made)."""
        super().__init__(message)
        self.message = message
        self.fields = fields or []
        self.extra = extra or {}
        if code:
            self.code = code


class BadRequest(AppError):
    status, code = 400, "bad_request"


class Unauthenticated(AppError):
    status, code = 401, "unauthenticated"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    status, code = 404, "not_found"


class Conflict(AppError):
    """The request is well formed but the resource's state forbids it."""
    status, code = 409, "conflict"


class PayloadTooLarge(AppError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(AppError):
    status, code = 415, "unsupported_media_type"


class Unprocessable(AppError):
    status, code = 422, "validation_error"


RETRY_AFTER_SECONDS = 5  # what a 503 tells the caller to wait before trying again


def field_errors(exc: ValidationError) -> list[dict]:
    """Pydantic's errors as {field, problem, type}, without echoing the input value back."""
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in err.get("loc", ()))
        out.append({"field": location or "(body)", "problem": err.get("msg", "invalid"), "type": err.get("type")})
    return out


def error_body(status: int, code: str, message: str, fields: list[dict] | None = None) -> dict:
    body = {"error": {"status": status, "code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return body


def map_exception(exc: BaseException) -> tuple[int, dict]:
    """The single place that decides what a caller sees for an exception."""
    if isinstance(exc, AppError):
        return exc.status, {**exc.extra, **error_body(exc.status, exc.code, exc.message, exc.fields)}
    if isinstance(exc, ValidationError):
        return 422, error_body(422, "validation_error", "Dữ liệu không hợp lệ.", field_errors(exc))
    if isinstance(exc, HTTPException) and exc.code and 400 <= exc.code < 500:
        # werkzeug's own refusals, e.g. a request body over the size limit while parsing a form
        return exc.code, error_body(exc.code, "http_error", exc.description or exc.name)
    if is_transient(exc):
        return 503, error_body(503, "temporarily_unavailable",
                               "Hệ thống tạm thời gián đoạn; vui lòng thử lại sau ít phút.")
    log.error("unhandled error: %s", type(exc).__name__, exc_info=exc)
    return 500, error_body(500, "internal_error", "Lỗi hệ thống; vui lòng thử lại sau.")


def json_dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)
