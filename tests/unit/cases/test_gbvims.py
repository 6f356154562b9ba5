import unicodedata

import pytest

from services.cases.gbvims import GBVIMS_LABELS, GBVIMS_TYPE_OF_CASE, GbvimsType, gbvims_type
from services.common.events.contracts import CaseType


def test_every_case_type_is_mapped_to_a_gbvims_type():
    assert set(GBVIMS_TYPE_OF_CASE) == set(CaseType)
    for case_type in CaseType:
        assert isinstance(gbvims_type(case_type), GbvimsType)
        assert gbvims_type(case_type.value) == gbvims_type(case_type)  # as stored: a plain string


def test_gbvims_has_its_six_core_types_each_with_a_vietnamese_label():
    assert {t.value for t in GbvimsType} == {
        "rape", "sexual_assault", "physical_assault", "forced_marriage", "denial_of_resources",
        "psychological_abuse"}
    assert set(GBVIMS_LABELS) == set(GbvimsType)
    labels = list(GBVIMS_LABELS.values())
    assert len(set(labels)) == len(labels)
    assert all(label and label == unicodedata.normalize("NFC", label) for label in labels)
    assert GBVIMS_LABELS[GbvimsType.DENIAL_OF_RESOURCES] == "Từ chối tiếp cận nguồn lực, cơ hội hoặc dịch vụ"


@pytest.mark.parametrize("case_type,expected", [
    (CaseType.DOMESTIC_VIOLENCE_PHYSICAL, GbvimsType.PHYSICAL_ASSAULT),
    (CaseType.DOMESTIC_VIOLENCE_PSYCHOLOGICAL, GbvimsType.PSYCHOLOGICAL_ABUSE),
    (CaseType.DOMESTIC_VIOLENCE_SEXUAL, GbvimsType.SEXUAL_ASSAULT),
    (CaseType.DOMESTIC_VIOLENCE_ECONOMIC, GbvimsType.DENIAL_OF_RESOURCES),
    (CaseType.SEXUAL_HARASSMENT, GbvimsType.PSYCHOLOGICAL_ABUSE),  # no contact recorded: GBVIMS's rule
    (CaseType.SEXUAL_ABUSE, GbvimsType.SEXUAL_ASSAULT),
    (CaseType.ILLEGAL_MARRIAGE_BROKERING, GbvimsType.FORCED_MARRIAGE),
    (CaseType.TRAFFICKING, GbvimsType.FORCED_MARRIAGE),
    (CaseType.OTHER_GBV, GbvimsType.PSYCHOLOGICAL_ABUSE),
])
def test_the_documented_choices(case_type, expected):
    assert gbvims_type(case_type) == expected


def test_no_case_type_asserts_rape_which_needs_a_fact_no_case_records():
    assert GbvimsType.RAPE not in GBVIMS_TYPE_OF_CASE.values()


def test_an_unknown_case_type_is_an_error():
    with pytest.raises(ValueError):
        gbvims_type("robbery")
