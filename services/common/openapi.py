"""OpenAPI 3.1 documents generated from the services' `@api` declarations and pydantic models.

Served by every service at `/openapi.json` and committed under docs/openapi/ (`binhdang docs`);
a test fails when the committed files are stale.
"""
from __future__ import annotations

import inspect
import re
from typing import Any

from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from services.common.answers import Answer
from services.common.http import ApiEndpoint

RULE_PART = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
ERROR_STATUSES = {400: "Malformed request", 401: "Missing or invalid bearer token",
                  403: "Role or commune not allowed", 404: "Not found (or another commune's)",
                  409: "The resource's state forbids it", 413: "Too large", 415: "Wrong content type",
                  422: "Validation failed; `fields` names each problem"}


class ErrorDetail(BaseModel):
    field: str
    problem: str
    type: str | None = None


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    fields: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(Answer):
    error: ErrorBody


def endpoints_of(service_cls) -> list[tuple[str, ApiEndpoint]]:
    found = []
    for name, member in inspect.getmembers(service_cls, inspect.isfunction):
        for entrypoint in getattr(member, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, ApiEndpoint) and entrypoint.in_api_document:
                found.append((name, entrypoint))
    return sorted(found, key=lambda item: (item[1].url, item[1].method))


def _path_and_parameters(rule: str) -> tuple[str, list[dict]]:
    parameters = []

    def replace(match):
        converter, args, name = match.group("converter") or "string", match.group("args") or "", match.group("name")
        options = dict(part.split("=", 1) for part in args.split(",") if "=" in part)
        schema: dict[str, Any]
        if converter == "int":
            schema = {"type": "integer"}
            if "min" in options:
                schema["minimum"] = int(options["min"])
            if "max" in options:
                schema["maximum"] = int(options["max"])
        elif converter == "any":
            schema = {"type": "string", "enum": [choice.strip() for choice in args.split(",")]}
        else:
            schema = {"type": "string"}
            if "length" in options:
                schema["minLength"] = schema["maxLength"] = int(options["length"])
            if "minlength" in options:
                schema["minLength"] = int(options["minlength"])
            if "maxlength" in options:
                schema["maxLength"] = int(options["maxlength"])
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return RULE_PART.sub(replace, rule), parameters


def openapi_document(service_cls, *, title: str, description: str, version: str = "1.0.0") -> dict:
    endpoints = endpoints_of(service_cls)
    models: set[type[BaseModel]] = {ErrorResponse}
    for _, endpoint in endpoints:
        models.update(m for m in (endpoint.body_model, endpoint.query_model, endpoint.response_model,
                                  endpoint.upload_model) if m is not None)
    keyed, definitions = models_json_schema([(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
                                            ref_template="#/components/schemas/{model}")
    schemas = definitions.get("$defs", {})

    def ref(model):
        return keyed[(model, "validation")]

    paths: dict[str, dict] = {}
    for name, endpoint in endpoints:
        path, parameters = _path_and_parameters(endpoint.url)
        if endpoint.query_model is not None:
            query_schema = schemas[endpoint.query_model.__name__]
            for field_name, field_schema in query_schema.get("properties", {}).items():
                parameters.append({"name": field_name, "in": "query",
                                   "required": field_name in query_schema.get("required", []),
                                   "schema": field_schema})
        handler = getattr(service_cls, name)
        doc = inspect.getdoc(handler) or ""
        operation: dict[str, Any] = {
            "operationId": f"{service_cls.name}_{name}",
            "summary": endpoint.summary or (doc.splitlines()[0] if doc else name.replace("_", " ")),
            "tags": [service_cls.name],
        }
        if parameters:
            operation["parameters"] = parameters
        if endpoint.body_model is not None:
            operation["requestBody"] = {"required": True,
                                        "content": {"application/json": {"schema": ref(endpoint.body_model)}}}
        if endpoint.upload_model is not None:
            form = dict(schemas[endpoint.upload_model.__name__])
            form_schema = {"type": "object", "required": ["file", *form.get("required", [])],
                           "properties": {"file": {"type": "string", "format": "binary"},
                                          **form.get("properties", {})}}
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": form_schema}}}
        operation["responses"] = {}
        for status, description in [(endpoint.status, "OK"), *endpoint.other_statuses.items()]:
            success: dict = {"description": description}
            if endpoint.response_model is not None:
                success["content"] = {"application/json": {"schema": ref(endpoint.response_model)}}
            elif endpoint.media_types:
                success["content"] = {media_type: {} for media_type in endpoint.media_types}
            operation["responses"][str(status)] = success
        if endpoint.is_public:
            operation["security"] = []
        else:
            operation["x-roles"] = sorted(role.value for role in endpoint.roles)
            operation["description"] = ((doc + "\n\n") if doc else "") + "Roles: " + ", ".join(operation["x-roles"])
            for status in (401, 403):
                operation["responses"][str(status)] = _error(ERROR_STATUSES[status], ref)
        if parameters or endpoint.body_model or endpoint.upload_model:
            for status in (400, 404, 409, 413, 415, 422):
                operation["responses"][str(status)] = _error(ERROR_STATUSES[status], ref)
        for method in endpoint.method.split(","):
            paths.setdefault(path, {})[method.strip().lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        "security": [{"bearerAuth": []}],
    }


def _error(description: str, ref) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(ErrorResponse)}}}
