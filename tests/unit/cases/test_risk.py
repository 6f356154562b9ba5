import itertools
import unicodedata

import pytest
from pydantic import ValidationError

from services.cases.risk import LEVEL_LABELS, LEVEL_ORDER, RiskAssessment, assess, reasons
from services.common.events.contracts import RiskLevel

YES_NO_QUESTIONS = [name for name, field in RiskAssessment.model_fields.items() if field.annotation in (bool, "bool")]


def answers(previous_incidents: int = 0, **yes: bool) -> RiskAssessment:
    """Every question answered "no", except those given."""
    all_no = {name: False for name in YES_NO_QUESTIONS}
    return RiskAssessment(**{**all_no, **yes}, previous_incidents=previous_incidents)


def test_the_questionnaire_has_the_expected_questions():
    assert len(YES_NO_QUESTIONS) == 12
    assert "previous_incidents" in RiskAssessment.model_fields


def test_no_risk_factor_is_low_with_no_reasons():
    assert assess(answers()) == RiskLevel.LOW
    assert reasons(answers()) == []


@pytest.mark.parametrize("yes,expected", [
    # one lethality indicator: high
    ({"threats_to_kill": True}, RiskLevel.HIGH),
    ({"weapon_used_or_threatened": True}, RiskLevel.HIGH),
    ({"strangulation_or_choking": True}, RiskLevel.HIGH),
    # two lethality indicators: critical
    ({"threats_to_kill": True, "weapon_used_or_threatened": True}, RiskLevel.CRITICAL),
    ({"weapon_used_or_threatened": True, "strangulation_or_choking": True}, RiskLevel.CRITICAL),
    # a lethality indicator against a child or a pregnant woman, or with escalating violence: critical
    ({"threats_to_kill": True, "victim_is_child": True}, RiskLevel.CRITICAL),
    ({"weapon_used_or_threatened": True, "victim_pregnant": True}, RiskLevel.CRITICAL),
    ({"strangulation_or_choking": True, "violence_increasing": True}, RiskLevel.CRITICAL),
    # ... but not with a disability alone: that stays high
    ({"threats_to_kill": True, "victim_has_disability": True}, RiskLevel.HIGH),
    # other high rules
    ({"victim_fears_for_life": True}, RiskLevel.HIGH),
    ({"sexual_violence": True, "victim_is_child": True}, RiskLevel.HIGH),
    ({"injury_needing_care": True, "victim_pregnant": True}, RiskLevel.HIGH),
    ({"injury_needing_care": True, "victim_has_disability": True}, RiskLevel.HIGH),
    ({"injury_needing_care": True, "victim_is_child": True}, RiskLevel.HIGH),
    # medium rules
    ({"injury_needing_care": True}, RiskLevel.MEDIUM),
    ({"sexual_violence": True}, RiskLevel.MEDIUM),
    ({"violence_increasing": True}, RiskLevel.MEDIUM),
    ({"previous_incidents": 3}, RiskLevel.MEDIUM),
    ({"victim_is_child": True}, RiskLevel.MEDIUM),
    ({"victim_pregnant": True}, RiskLevel.MEDIUM),
    ({"victim_has_disability": True}, RiskLevel.MEDIUM),
    ({"perpetrator_lives_with_victim": True, "perpetrator_substance_abuse": True}, RiskLevel.MEDIUM),
    # factors that raise nothing on their own
    ({"previous_incidents": 2}, RiskLevel.LOW),
    ({"perpetrator_lives_with_victim": True}, RiskLevel.LOW),
    ({"perpetrator_substance_abuse": True}, RiskLevel.LOW),
])
def test_each_rule_of_the_table(yes, expected):
    assert assess(answers(**yes)) == expected


def test_a_yes_never_lowers_the_level():
    """Exhaustively: answering one more question "yes" (or adding incidents) keeps or raises the level."""
    rank = {level: LEVEL_ORDER.index(level) for level in RiskLevel}
    level_of = {}
    for flags in itertools.product((False, True), repeat=len(YES_NO_QUESTIONS)):
        for previous in (0, 3):
            level_of[flags, previous] = assess(answers(previous, **dict(zip(YES_NO_QUESTIONS, flags, strict=True))))
    for (flags, previous), level in level_of.items():
        for position, answered_yes in enumerate(flags):
            if not answered_yes:
                more = flags[:position] + (True,) + flags[position + 1:]
                assert rank[level_of[more, previous]] >= rank[level]
        if previous == 0:
            assert rank[level_of[flags, 3]] >= rank[level]
    assert set(level_of.values()) == set(RiskLevel)


def test_reasons_name_the_answers_in_vietnamese_most_urgent_first():
    assessment = answers(threats_to_kill=True, weapon_used_or_threatened=True, injury_needing_care=True)
    explained = reasons(assessment)
    assert explained[0] == ("Nguy cơ rất cao: Có từ hai dấu hiệu đe dọa tính mạng trở lên: "
                            "đe dọa giết, dùng hoặc đe dọa dùng hung khí.")
    assert "Nguy cơ trung bình: Nạn nhân bị thương tích cần chăm sóc y tế." in explained
    assert explained[0].startswith(f"Nguy cơ {LEVEL_LABELS[assess(assessment)]}:")


@pytest.mark.parametrize("yes", [
    {"strangulation_or_choking": True},
    {"victim_fears_for_life": True, "previous_incidents": 5},
    {"perpetrator_lives_with_victim": True, "perpetrator_substance_abuse": True},
    {name: True for name in YES_NO_QUESTIONS},
])
def test_the_first_reason_gives_the_assessed_level(yes):
    assessment = answers(**yes)
    explained = reasons(assessment)
    assert explained[0].startswith(f"Nguy cơ {LEVEL_LABELS[assess(assessment)]}:")
    assert all(text == unicodedata.normalize("NFC", text) for text in explained)
    assert "{" not in "".join(explained)  # every placeholder was filled


def test_unknown_or_missing_answers_are_refused():
    complete = answers().model_dump()
    with pytest.raises(ValidationError):
        RiskAssessment.model_validate({**complete, "victim_is_elderly": True})
    del complete["threats_to_kill"]
    with pytest.raises(ValidationError):  # a missing answer must not count as "no"
        RiskAssessment.model_validate(complete)


@pytest.mark.parametrize("previous", [-1, 101])
def test_previous_incidents_are_bounded(previous):
    with pytest.raises(ValidationError):
        answers(previous)
