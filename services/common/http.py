"""`@api(...)`: nameko HTTP entrypoints that declare who may call them and speak JSON only.

Every endpoint names its allowed roles (`PUBLIC` for health, readiness and metrics).
The entrypoint authenticates the bearer token before any service code runs and passes
the `Principal` to the handler; errors of every kind become JSON through
`errors.map_exception`, and unknown routes get a JSON 404/405 too.
"""
from __future__ import annotations

import json
import logging
import time
from functools import partial
from typing import Any

from eventlet.event import Event
from nameko.web.handlers import HttpRequestHandler
from pydantic import BaseModel, ValidationError
from werkzeug.wrappers import Response
from werkzeug.wsgi import LimitedStream

from services.common import admin_units, metrics
from services.common.answers import Answer
from services.common.auth import PUBLIC, authenticate
from services.common.context import HEADER as CORRELATION_HEADER
from services.common.context import accepted_correlation_id
from services.common.errors import (
    RETRY_AFTER_SECONDS,
    AppError,
    BadRequest,
    NotFound,
    PayloadTooLarge,
    Unprocessable,
    UnsupportedMediaType,
    json_dumps,
    map_exception,
)
from services.common.http_server import JSON_TYPE, JsonWebServer, MetricsWebServer
from services.common.text import NUL, unstorable_text

log = logging.getLogger("binhdang.access")

MAX_JSON_BYTES = 1024 * 1024
# A commune's resources: its code is 5 characters (the shape check, digits only, is the handler's).
COMMUNE_URL = "/v1/communes/<string(length=5):commune_code>"


def json_response(status: int, payload, headers: dict | None = None) -> Response:
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json", by_alias=True)
    response = Response(json_dumps(payload), status=status, content_type=JSON_TYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


class ApiEndpoint(HttpRequestHandler):
    server: JsonWebServer = JsonWebServer()
    in_api_document = True  # described in the service's OpenAPI document

    def __init__(self, method: str, url: str, *, roles, body: type[BaseModel] | None = None,
                 query: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
                 status: int = 200, other_statuses: dict[int, str] | None = None,
                 media_types: tuple[str, ...] = (), upload: type[BaseModel] | None = None,
                 summary: str | None = None, **kwargs):
        """`roles`: who may call (PUBLIC for anyone). `body`/`query`: models the request is validated
        against before the handler runs, passed to it as `body=`/`query=`. `upload`: a multipart
        file upload whose form fields `upload` describes (the handler reads the file itself).
        `response`: the model of the success answer; the handler returns an instance of it (or
        `(status, instance)`), and its JSON Schema is what the OpenAPI document promises.
        `status`: the usual success status; `other_statuses`: any other status the endpoint answers
        with the same body, and what each means. `media_types`: a success answer that is not JSON is in
        one of these (the handler returns a werkzeug Response). `summary` overrides the docstring's first line."""
        if response is not None and not issubclass(response, Answer):
            raise TypeError(f"{url}: a response model derives from Answer, not {response.__name__}")
        self.roles = frozenset(roles)
        # a refusal (4xx) is part of the API, not a fault: nameko logs these without a traceback
        kwargs.setdefault("expected_exceptions", (AppError, ValidationError))
        self.body_model, self.query_model, self.response_model = body, query, response
        self.upload_model = upload
        self.status, self.other_statuses, self.media_types = status, dict(other_statuses or {}), media_types
        self.summary = summary
        super().__init__(method, url, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.roles == PUBLIC

    def handle_request(self, request):
        request.shallow = False
        started = time.perf_counter()
        correlation_id = accepted_correlation_id(request.headers.get(CORRELATION_HEADER))
        subject = None
        try:
            args: tuple[Any, ...] = (request,)
            if not self.is_public:
                # before anything of the body is read: a caller without a valid token costs one header
                principal = authenticate(request.headers.get("Authorization"), self.roles, self.container.config)
                args, subject = (request, principal), principal.subject
            if self.upload_model is None:  # an upload's limit is its handler's (parse_upload)
                limit_body(request, MAX_JSON_BYTES)
            kwargs = dict(request.path_values)
            check_text(kwargs)
            check_commune(kwargs)
            if self.query_model is not None:
                kwargs["query"] = parse_query(request, self.query_model)
            if self.body_model is not None:
                kwargs["body"] = parse_json(request, self.body_model)
            self.check_signature(args, kwargs)
            done = Event()
            self.container.spawn_worker(self, args, kwargs, context_data={"correlation_id": correlation_id},
                                        handle_result=partial(self.handle_result, done))
            response = self.response_from_result(done.wait())
        except (AppError, ValidationError) as exc:
            # refused before the worker ran (authentication, role, request validation): count it here
            if not _ran_in_worker(exc):
                metrics.ENTRYPOINT_CALLS.labels(self.container.service_name, self.method_name,
                                                "client_error").inc()
            response = self.response_from_exception(exc)
        except Exception as exc:
            response = self.response_from_exception(exc)
        response.headers[CORRELATION_HEADER] = correlation_id
        # Who (the token's subject, an account id, never a name), what (the route template, not the
        # path: ids stay out of the access log), the outcome and how long it took. Probes and scrapes
        # (the public endpoints) only at debug level.
        log.log(logging.DEBUG if self.is_public else logging.INFO, "%s %s %s", request.method, self.url,
                response.status_code, extra={
            "entrypoint": self.method_name, "route": self.url, "status": response.status_code,
            "subject": subject, "correlation_id": correlation_id,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
        return response

    def handle_result(self, done, worker_ctx, result, exc_info):
        if exc_info is not None:
            exc_info[1]._binhdang_in_worker = True
        done.send(result, exc_info)
        return result, exc_info

    def response_from_result(self, result):
        if isinstance(result, Response):
            return result
        status, payload = (result if isinstance(result, tuple) else (200, result))
        if self.response_model is not None and not isinstance(payload, self.response_model):
            # what the OpenAPI document promises is what is served: a view returning anything else is a bug
            raise TypeError(f"{self.method_name} must answer with {self.response_model.__name__}, "
                            f"not {type(payload).__name__}")
        return json_response(status, payload)

    def response_from_exception(self, exc):
        status, body = map_exception(exc)
        return json_response(status, body, {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None)


def _ran_in_worker(exc) -> bool:
    return getattr(exc, "_binhdang_in_worker", False)


api = ApiEndpoint.decorator


class MetricsEndpoint(ApiEndpoint):
    """An endpoint of the metrics server (its own port), not of the public API."""
    server = MetricsWebServer()
    in_api_document = False


metrics_api = MetricsEndpoint.decorator


# request parsing -------------------------------------------------------------
def parse_json(request, model: type[BaseModel]):
    """The request body validated against `model`; 415/413/400/422 with a JSON error otherwise."""
    content_type = (request.mimetype or "").lower()
    if content_type != "application/json":
        raise UnsupportedMediaType("Nội dung phải ở dạng JSON (Content-Type: application/json).")
    limit_body(request, MAX_JSON_BYTES)
    raw = request.get_data(cache=False)  # a chunked body too, up to the limit
    if len(raw) > MAX_JSON_BYTES:
        raise _too_large(MAX_JSON_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("Nội dung không phải JSON hợp lệ.", code="malformed_json",
                         fields=[{"field": "(body)", "problem": "không phải UTF-8"}]) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # ValueError: also >4300-digit numbers
        # where, never what: the message of a JSONDecodeError names a position only
        problem = f"dòng {exc.lineno}, cột {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "không đọc được"
        raise BadRequest("Nội dung không phải JSON hợp lệ.", code="malformed_json",
                         fields=[{"field": "(body)", "problem": problem}]) from None
    check_text(document)
    return model.model_validate(document)


def limit_body(request, max_bytes: int) -> None:
    """Refuse a body declared larger than `max_bytes` (413) before reading any of it, and stop reading
    an undeclared (chunked) one a byte after it (`read_past_limit` then tells)."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    # werkzeug stops a chunked body at this limit without a word: one byte more shows it was longer
    request.max_content_length = max_bytes + 1


def read_past_limit(request) -> bool:
    """A chunked body read up to its limit (`limit_body`): it is longer than allowed."""
    stream = request.stream
    return request.content_length is None and isinstance(stream, LimitedStream) and stream.is_exhausted


def _too_large(max_bytes: int) -> PayloadTooLarge:
    size = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"
    return PayloadTooLarge(f"Nội dung vượt quá {size}.", fields=[{"field": "(body)", "problem": f"quá {size}"}])


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def check_text(value) -> None:
    """Refuse text a database cannot store (NUL characters, lone surrogates), naming where it is."""
    found = unstorable_text(value)
    if found:
        path, problem = found
        raise Unprocessable("Dữ liệu chứa ký tự không hợp lệ.", code="invalid_characters", fields=[{
            "field": path or "(body)",
            "problem": "chứa ký tự NUL" if problem == NUL else "chứa ký tự Unicode không hợp lệ"}])


def check_commune(path_values: dict) -> None:
    """A commune named in the path must be one of the official list: another code finds nothing."""
    code = path_values.get("commune_code")
    if code is not None and not admin_units.is_commune(code):
        raise NotFound("Không có xã, phường, đặc khu nào mang mã này trong danh mục đơn vị hành chính.",
                       code="commune_not_found")


def parse_upload(request, form_model: type[BaseModel], max_bytes: int):
    """A multipart upload: (validated form fields, filename, declared content type, file bytes)."""
    if (request.mimetype or "").lower() != "multipart/form-data":
        raise UnsupportedMediaType("Tải tệp lên bằng multipart/form-data, trường 'file'.")
    limit_body(request, max_bytes + 64 * 1024)  # the form's other fields and the multipart framing
    upload = request.files.get("file")  # a chunked upload too, up to the limit
    if read_past_limit(request):
        raise _too_large(max_bytes)
    if upload is None:
        raise BadRequest("Thiếu tệp (trường 'file').", code="file_missing",
                         fields=[{"field": "file", "problem": "thiếu"}])
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"Tệp vượt quá {max_bytes // (1024 * 1024)} MB.")
    fields = {key: request.form.get(key) for key in request.form.keys()}
    check_text(fields)
    form = form_model.model_validate(fields)
    return form, upload.filename or "", upload.mimetype or "", data


def parse_query(request, model: type[BaseModel]):
    """Query-string parameters validated against `model` (unknown parameters are refused)."""
    values = {key: request.args.getlist(key) if len(request.args.getlist(key)) > 1 else request.args.get(key)
              for key in request.args.keys()}
    check_text(values)
    return model.model_validate(values)
