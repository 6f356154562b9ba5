"""Small-count suppression: statistics that leave a commune hide counts that could single out a victim.

Every count leaves as a cell {"value": int | None, "suppressed": bool}.

* Primary suppression: a count from 1 to `suppress_below - 1` is hidden. In a commune of a few
  thousand people "2 rape cases of girls aged 12-17 this quarter" points at a family. 0 is shown:
  it discloses no one.
* Secondary suppression: within a breakdown whose cells add up to the total (every case falls in
  exactly one cell), one hidden cell is the total minus the cells shown. So when exactly one cell
  is hidden, the next smallest non-zero cell is hidden too. Zero cells are never chosen: hiding a
  0 next to a visible 0 would still let the rule be undone. The same happens when the hidden cells
  can be solved anyway, because their sum is only reachable one way (all of them 1, or all of them
  `suppress_below - 1`). Secondary suppression applies only when the total is shown; a hidden
  total leaves nothing to subtract from.
"""
from __future__ import annotations

SUPPRESS_BELOW = 5  # counts of 1 to 4 are hidden


def is_small(count: int, suppress_below: int = SUPPRESS_BELOW) -> bool:
    return 0 < count < suppress_below


def cell(count: int, *, hidden: bool) -> dict:
    return {"value": None, "suppressed": True} if hidden else {"value": count, "suppressed": False}


def protected_count(count: int, suppress_below: int = SUPPRESS_BELOW) -> dict:
    """One count on its own, with primary suppression."""
    return cell(count, hidden=is_small(count, suppress_below))


def protected_partition(counts: dict[str, int], total_shown: bool, suppress_below: int = SUPPRESS_BELOW,
                        also_hidden: set[str] | frozenset[str] = frozenset()) -> dict[str, dict]:
    """Cells of a breakdown that adds up to the total, with primary and secondary suppression.

    `also_hidden`: cells hidden for a reason outside this breakdown (another table would give them back).
    A total hidden for such a reason, not for being small, is the sum of the cells: one is hidden too."""
    hidden = {key for key, count in counts.items() if is_small(count, suppress_below)}
    hidden |= set(also_hidden) & set(counts)
    if not total_shown and not any(counts[key] > 0 for key in hidden):
        candidates = [key for key, count in counts.items() if count > 0]
        if candidates:
            hidden.add(min(candidates, key=counts.__getitem__))
    if total_shown:
        while recoverable([counts[key] for key in hidden], suppress_below):
            candidates = [key for key, count in counts.items() if count > 0 and key not in hidden]
            if not candidates:  # cannot happen while the total is shown; guards against a loop
                break
            # min() keeps the first of equal counts: the same data always hides the same cells.
            hidden.add(min(candidates, key=counts.__getitem__))
    return {key: cell(count, hidden=key in hidden) for key, count in counts.items()}


def recoverable(hidden_counts: list[int], suppress_below: int = SUPPRESS_BELOW) -> bool:
    """Whether hidden cells whose sum is known (a total minus the cells shown) can be worked out one by one."""
    if len(hidden_counts) == 1:
        return True
    if not hidden_counts or any(not is_small(count, suppress_below) for count in hidden_counts):
        return False  # nothing hidden, or a secondary cell already makes the sum ambiguous
    # Hidden cells each hold 1 to suppress_below - 1; a sum at either end of that range has only one
    # solution.
    hidden_sum = sum(hidden_counts)
    return hidden_sum in (len(hidden_counts), len(hidden_counts) * (suppress_below - 1))
