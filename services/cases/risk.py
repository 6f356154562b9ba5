"""Risk assessment of a reported case: a short questionnaire and an explicit table of rules.

The level decides how fast the commune must verify a report (see `timers.py`), so the rules are
written out one per line: anyone can read why a case got its level, and `reasons()` tells staff
in Vietnamese which answers raised it. There are no weights to tune.

The lethality indicators (threats to kill, a weapon, strangulation) are those that risk tools for
intimate-partner violence (Danger Assessment, DASH) single out as predicting homicide; the level
is the highest one any rule reaches, and a "yes" answer can only raise it, never lower it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from services.common.events.contracts import RiskLevel

# Ordered from least to most urgent: RiskLevel is a string enum and has no order of its own.
LEVEL_ORDER = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL)

LEVEL_LABELS = {
    RiskLevel.LOW: "thấp",
    RiskLevel.MEDIUM: "trung bình",
    RiskLevel.HIGH: "cao",
    RiskLevel.CRITICAL: "rất cao",
}

# Three or more earlier incidents make a pattern, not an isolated episode.
REPEATED_INCIDENTS = 3


class RiskAssessment(BaseModel):
    """The answers of the intake questionnaire.

    Every answer is required: a question left out of a request must be an error, not a silent
    "no" that would understate the danger.
    """
    model_config = ConfigDict(extra="forbid")

    # Lethality indicators
    threats_to_kill: bool
    weapon_used_or_threatened: bool
    strangulation_or_choking: bool
    # Harm and its course
    injury_needing_care: bool
    violence_increasing: bool
    sexual_violence: bool
    # The victim
    victim_is_child: bool = Field(description="Under 16: a child under the Law on Children 2016.")
    victim_pregnant: bool
    victim_has_disability: bool
    victim_fears_for_life: bool
    # The perpetrator
    perpetrator_lives_with_victim: bool
    perpetrator_substance_abuse: bool = Field(description="Alcohol or drugs.")
    previous_incidents: int = Field(ge=0, le=100, description="Earlier incidents known to the reporter.")


LETHAL_INDICATOR_LABELS = {
    "threats_to_kill": "đe dọa giết",
    "weapon_used_or_threatened": "dùng hoặc đe dọa dùng hung khí",
    "strangulation_or_choking": "bóp cổ hoặc làm nghẹt thở",
}


def lethal_indicators(a: RiskAssessment) -> list[str]:
    """Names of the lethality indicators answered "yes"."""
    return [name for name in LETHAL_INDICATOR_LABELS if getattr(a, name)]


def _has_lethal_indicator(a: RiskAssessment) -> bool:
    return bool(lethal_indicators(a))


def _child_or_pregnant(a: RiskAssessment) -> bool:
    return a.victim_is_child or a.victim_pregnant


def _vulnerable(a: RiskAssessment) -> bool:
    return a.victim_is_child or a.victim_pregnant or a.victim_has_disability


@dataclass(frozen=True)
class RiskRule:
    level: RiskLevel
    applies: Callable[[RiskAssessment], bool]
    # May contain {lethal}: the lethality indicators answered "yes", in Vietnamese.
    reason: str


# The rules, most urgent first. The assessed level is the highest level of any rule that applies.
RULES: tuple[RiskRule, ...] = (
    # Critical: lethality indicators that add up, or meet a victim who cannot flee or protect herself.
    RiskRule(RiskLevel.CRITICAL, lambda a: len(lethal_indicators(a)) >= 2,
             "Có từ hai dấu hiệu đe dọa tính mạng trở lên: {lethal}."),
    RiskRule(RiskLevel.CRITICAL, lambda a: _has_lethal_indicator(a) and _child_or_pregnant(a),
             "Có dấu hiệu đe dọa tính mạng ({lethal}) đối với trẻ em dưới 16 tuổi hoặc phụ nữ mang thai."),
    RiskRule(RiskLevel.CRITICAL, lambda a: _has_lethal_indicator(a) and a.violence_increasing,
             "Có dấu hiệu đe dọa tính mạng ({lethal}) và bạo lực ngày càng nghiêm trọng."),
    # High
    RiskRule(RiskLevel.HIGH, _has_lethal_indicator,
             "Có dấu hiệu đe dọa tính mạng: {lethal}."),
    RiskRule(RiskLevel.HIGH, lambda a: a.victim_fears_for_life,
             "Nạn nhân lo sợ cho tính mạng của mình."),
    RiskRule(RiskLevel.HIGH, lambda a: a.sexual_violence and a.victim_is_child,
             "Bạo lực tình dục đối với trẻ em dưới 16 tuổi."),
    RiskRule(RiskLevel.HIGH, lambda a: a.injury_needing_care and _vulnerable(a),
             "Thương tích cần chăm sóc y tế ở trẻ em, phụ nữ mang thai hoặc người khuyết tật."),
    # Medium
    RiskRule(RiskLevel.MEDIUM, lambda a: a.injury_needing_care,
             "Nạn nhân bị thương tích cần chăm sóc y tế."),
    RiskRule(RiskLevel.MEDIUM, lambda a: a.sexual_violence,
             "Có bạo lực tình dục."),
    RiskRule(RiskLevel.MEDIUM, lambda a: a.violence_increasing,
             "Bạo lực ngày càng nghiêm trọng hoặc thường xuyên hơn."),
    RiskRule(RiskLevel.MEDIUM, lambda a: a.previous_incidents >= REPEATED_INCIDENTS,
             f"Đã xảy ra từ {REPEATED_INCIDENTS} vụ bạo lực trước đó trở lên."),
    RiskRule(RiskLevel.MEDIUM, _vulnerable,
             "Nạn nhân là trẻ em dưới 16 tuổi, phụ nữ mang thai hoặc người khuyết tật."),
    # Living together with a perpetrator who drinks or takes drugs: the danger is daily and unchecked.
    RiskRule(RiskLevel.MEDIUM, lambda a: a.perpetrator_lives_with_victim and a.perpetrator_substance_abuse,
             "Người có hành vi bạo lực sống cùng nạn nhân và lạm dụng rượu, bia hoặc chất kích thích."),
)


def applicable_rules(a: RiskAssessment) -> list[RiskRule]:
    """The rules that apply to these answers, most urgent first."""
    return [rule for rule in RULES if rule.applies(a)]


def assess(a: RiskAssessment) -> RiskLevel:
    """The highest level reached by any rule; low when none applies."""
    levels = [rule.level for rule in applicable_rules(a)]
    return max(levels, key=LEVEL_ORDER.index, default=RiskLevel.LOW)


def reasons(a: RiskAssessment) -> list[str]:
    """In Vietnamese, which answers raised the level: one line per applicable rule, most urgent first.

    Each line starts with the level its rule reaches, so staff see both what decided the level and
    the lesser risk factors that remain present. Empty when the level is low.
    """
    lethal = ", ".join(LETHAL_INDICATOR_LABELS[name] for name in lethal_indicators(a))
    return [f"Nguy cơ {LEVEL_LABELS[rule.level]}: {rule.reason.format(lethal=lethal)}"
            for rule in applicable_rules(a)]
