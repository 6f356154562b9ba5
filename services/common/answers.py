"""`Answer`: the base of every HTTP response body model (`@api(response=...)`).

A request that does not fit its model is the caller's mistake (422). An answer that does not fit
its model is the service's: building one raises `InvalidAnswer`, which the HTTP layer turns into a
500 and logs, instead of the ValidationError a caller would read as a problem with its request.
"""
from __future__ import annotations

from pydantic import BaseModel, ValidationError


class InvalidAnswer(Exception):
    """A response body that does not fit its own model: a bug in a view."""


class Answer(BaseModel):
    def __init__(self, /, **data):
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _invalid(type(self), exc) from None

    @classmethod
    def model_validate(cls, obj, **kwargs):
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise _invalid(cls, exc) from None


def _invalid(model: type[BaseModel], exc: ValidationError) -> InvalidAnswer:
    # where and what, never the values: an answer may hold a victim's data, and this is logged
    problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors())
    return InvalidAnswer(f"{model.__name__} does not fit its model ({problems})")


class Count(Answer):
    """A count that leaves the commune: hidden (value null, suppressed) when from 1 to 4, so that no
    victim can be singled out."""
    value: int | None
    suppressed: bool
