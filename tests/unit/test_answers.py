"""Response bodies: an answer that does not fit its own model is the service's fault, not the caller's."""
import pytest
from pydantic import BaseModel

from services.common.answers import Answer, InvalidAnswer
from services.common.errors import map_exception
from services.common.http import ApiEndpoint


class Victim(BaseModel):
    full_name: str
    age: int


class CaseAnswer(Answer):
    case_code: str
    victim: Victim | None


def test_an_answer_that_does_not_fit_its_model_is_a_500_naming_the_field_but_no_value():
    with pytest.raises(InvalidAnswer) as raised:
        CaseAnswer(case_code="VV26-ABCDEFGH", victim={"full_name": "Lê Thị Hoà Bình", "age": "không rõ"})
    assert "victim.age" in str(raised.value) and "Hoà Bình" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__  # no chained error holding values
    status, body = map_exception(raised.value)
    assert status == 500 and body["error"]["code"] == "internal_error"


def test_an_answer_validated_from_data_is_held_to_the_same_rule():
    with pytest.raises(InvalidAnswer, match="victim.age"):
        CaseAnswer.model_validate({"case_code": "VV26-ABCDEFGH", "victim": {"full_name": "x", "age": "?"}})


def test_an_answer_that_fits_is_built_as_usual():
    answer = CaseAnswer(case_code="VV26-ABCDEFGH", victim=None)
    assert answer.model_dump() == {"case_code": "VV26-ABCDEFGH", "victim": None}


def test_an_endpoint_refuses_a_response_model_that_is_not_an_answer():
    with pytest.raises(TypeError, match="Answer"):
        ApiEndpoint("GET", "/v1/victims", roles={"case_worker"}, response=Victim)


def test_an_endpoint_answers_only_with_its_declared_model():
    endpoint = ApiEndpoint("GET", "/v1/cases/<code>", roles={"case_worker"}, response=CaseAnswer)
    served = endpoint.response_from_result((200, CaseAnswer(case_code="VV26-ABCDEFGH", victim=None)))
    assert served.status_code == 200 and served.get_json() == {"case_code": "VV26-ABCDEFGH", "victim": None}
    with pytest.raises(TypeError, match="CaseAnswer"):
        endpoint.response_from_result({"case_code": "VV26-ABCDEFGH"})
