from pydantic import BaseModel, Field, ValidationError

from services.common.errors import Conflict, NotFound, map_exception


class Body(BaseModel):
    year: int = Field(ge=2000)
    title: str


def test_app_errors_map_to_their_status_and_code():
    status, body = map_exception(NotFound("Không tìm thấy kế hoạch.", code="plan_not_found"))
    assert status == 404
    assert body == {"error": {"status": 404, "code": "plan_not_found", "message": "Không tìm thấy kế hoạch."}}
    assert map_exception(Conflict("x"))[0] == 409


def test_validation_errors_name_each_field_without_echoing_input():
    try:
        Body.model_validate({"year": 1900, "secret_victim_name": "Nguyễn Thị A"})
    except ValidationError as exc:
        status, body = map_exception(exc)
    assert status == 422
    fields = {f["field"]: f for f in body["error"]["fields"]}
    assert set(fields) == {"year", "title"}
    assert "Nguyễn" not in str(body)


def test_unexpected_errors_are_a_generic_500():
    status, body = map_exception(RuntimeError("password=hunter2 at /srv/app.py line 3"))
    assert status == 500
    assert body["error"]["code"] == "internal_error"
    assert "hunter2" not in str(body) and "app.py" not in str(body)


def test_text_a_database_cannot_store_is_refused_with_its_path():
    import pytest

    from services.common.errors import Unprocessable
    from services.common.http import check_text

    check_text({"name": "Phòng Văn hoá - Xã hội", "items": [{"x": "ổn"}]})
    for document, field in (({"a": [{"b": "x\x00y"}]}, "a.0.b"), ({"unit": "\udb0a"}, "unit"), ("\x00", "(body)")):
        with pytest.raises(Unprocessable) as error:
            check_text(document)
        assert error.value.fields[0]["field"] == field
