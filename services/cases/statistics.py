"""Case statistics: counts for a period, with small counts hidden so that no victim can be singled out.

The caller selects the records (one commune, or every commune of an area) and this module counts
them (`tally`) and hides what must not leave (`publish`). Only cases whose victim consented to
statistical use are counted, and every count leaves with primary and secondary suppression
(`services.common.suppression`).

One table at a time: comparing tables of nested periods or areas is guarded by
`services.cases.statistics_release.release`, which hides more cells of some tables (`publish`'s `hidden`).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from services.cases.gbvims import GbvimsType, gbvims_type
from services.cases.rules import CaseStatus
from services.common.clock import VIETNAM, local_date
from services.common.events.contracts import CaseType, IntakeChannel
from services.common.suppression import SUPPRESS_BELOW, cell, is_small, protected_partition

# Children are split at 12 as GBVIMS reports do: younger children and adolescents meet different
# abusers and need different services (paediatric care, schools). 18-24 ends where the UN's
# definition of youth (15-24) ends, so figures compare with youth statistics; 60 is where the Law
# on the Elderly 2009 starts (người cao tuổi). A missing age is counted, not dropped, so that the
# bands add up to the total.
# (label, youngest age in the band), oldest band first so the first match wins.
_BANDS_BY_YOUNGEST_AGE = ((60, "60+"), (25, "25-59"), (18, "18-24"), (12, "12-17"), (0, "0-11"))
UNKNOWN_AGE = "unknown"
AGE_BANDS = ("0-11", "12-17", "18-24", "25-59", "60+", UNKNOWN_AGE)

# A cell of a table: (breakdown, category), or the total.
Cell = tuple[str, str]
TOTAL: Cell = ("total", "")
SUPPORT_SERVICES = "by_support_service"


@dataclass(frozen=True)
class CaseRecord:
    """What statistics need of a case, and nothing that names a person."""
    case_type: str
    status: str
    intake_channel: str
    age: int | None
    support_services: tuple[str, ...]
    statistics_consent: bool
    reported_at: dt.datetime
    commune_code: str

    def __post_init__(self) -> None:
        if self.reported_at.tzinfo is None or self.reported_at.utcoffset() is None:
            raise ValueError("reported_at must be timezone-aware")


def age_band(age: int | None) -> str:
    """The label of the age band of an age in whole years; "unknown" for no age."""
    if age is None:
        return UNKNOWN_AGE
    if age < 0:
        raise ValueError(f"an age cannot be negative, got {age}")
    return next(label for youngest, label in _BANDS_BY_YOUNGEST_AGE if age >= youngest)


def _partitions() -> dict[str, tuple[Callable[[CaseRecord], str], list[str]]]:
    """Breakdowns in which every case falls in exactly one cell; an unknown value raises ValueError
    rather than vanish from the counts."""
    return {
        "by_case_type": (lambda r: CaseType(r.case_type).value, [t.value for t in CaseType]),
        "by_gbvims_type": (lambda r: gbvims_type(r.case_type).value, [t.value for t in GbvimsType]),
        "by_status": (lambda r: CaseStatus(r.status).value, [s.value for s in CaseStatus]),
        "by_intake_channel": (lambda r: IntakeChannel(r.intake_channel).value, [c.value for c in IntakeChannel]),
        "by_age_band": (lambda r: age_band(r.age), list(AGE_BANDS)),
    }


PARTITIONS = tuple(_partitions())


def tally(records: Iterable[CaseRecord], *, start: dt.date, end: dt.date) -> dict[Cell, int]:
    """Every cell's count of the consented cases reported from `start` to `end` (both included, Vietnam
    dates): the total, each category of each breakdown (zeros included), each support service given."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    counted = [record for record in records
               if record.statistics_consent and start <= local_date(record.reported_at) <= end]
    counts: dict[Cell, int] = {TOTAL: len(counted)}
    for name, (key_of, keys) in _partitions().items():
        in_breakdown = Counter(key_of(record) for record in counted)
        counts.update({(name, key): in_breakdown[key] for key in keys})
    # A case may receive several services or none: these cells do not add up to the total.
    services = Counter(service for record in counted for service in set(record.support_services))
    counts.update({(SUPPORT_SERVICES, service): count for service, count in sorted(services.items())})
    return counts


def publish(counts: dict[Cell, int], *, start: dt.date, end: dt.date, suppress_below: int = SUPPRESS_BELOW,
            hidden: frozenset[Cell] | set[Cell] = frozenset()) -> dict:
    """The table of `tally`'s counts with small counts hidden; `hidden`: cells to hide whatever their count
    (the release hides them so that no other table gives them back), and the cells that would give those
    back within this table are hidden too."""
    if suppress_below < 1:
        raise ValueError(f"suppress_below must be at least 1, got {suppress_below}")
    total = counts[TOTAL]
    total_shown = not is_small(total, suppress_below) and TOTAL not in hidden
    result: dict = {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "timezone": VIETNAM.key},
        "total": cell(total, hidden=not total_shown),
    }
    by_breakdown: dict[str, dict[str, int]] = {name: {} for name in (*PARTITIONS, SUPPORT_SERVICES)}
    for (breakdown, key), count in counts.items():
        if breakdown != TOTAL[0]:
            by_breakdown[breakdown][key] = count
    hidden_by_breakdown: dict[str, set[str]] = {}
    for breakdown, key in hidden:
        hidden_by_breakdown.setdefault(breakdown, set()).add(key)
    for name in PARTITIONS:
        result[name] = protected_partition(by_breakdown[name], total_shown, suppress_below,
                                           also_hidden=hidden_by_breakdown.get(name, frozenset()))

    # The GBVIMS breakdown groups the case types: a GBVIMS cell minus the shown case types in it
    # would give back a hidden case-type count. While any case type is hidden, hide every GBVIMS cell.
    if any(case_type["suppressed"] for case_type in result["by_case_type"].values()):
        result["by_gbvims_type"] = {key: cell(counts[("by_gbvims_type", key)],
                                              hidden=counts[("by_gbvims_type", key)] > 0 or group["suppressed"])
                                    for key, group in result["by_gbvims_type"].items()}

    # No support-service cell is the total minus the others, so primary suppression suffices.
    result[SUPPORT_SERVICES] = {service: cell(count, hidden=is_small(count, suppress_below)
                                              or service in hidden_by_breakdown.get(SUPPORT_SERVICES, ()))
                                for service, count in by_breakdown[SUPPORT_SERVICES].items()}
    return result


def compute(records: Iterable[CaseRecord], *, start: dt.date, end: dt.date,
            suppress_below: int = SUPPRESS_BELOW) -> dict:
    """One table on its own: counts of the consented cases reported from `start` to `end`, suppressed."""
    return publish(tally(records, start=start, end=end), start=start, end=end, suppress_below=suppress_below)
