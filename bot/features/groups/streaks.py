"""Streaks: consecutive weeks checked in. A run of weeks skipped with notice no
longer than the pack's grace keeps a streak alive without adding to it; a week
missed without notice ends it. The current week does not count against anyone
until its deadline has passed."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Literal

WEEK = timedelta(days=7)
LOOKBACK_WEEKS = 104
Mark = Literal["checked", "skipped", "missed", "open"]


def mark(week: date, checked: Collection[date], skipped: Collection[date], open_: bool) -> Mark:
    if week in checked:
        return "checked"
    if week in skipped:
        return "skipped"
    return "open" if open_ else "missed"


def streak(
    checked: Collection[date],
    skipped: Collection[date],
    current: date,
    current_open: bool,
    grace: int,
) -> int:
    """Weeks in the streak that reaches `current` (the week now running)."""
    count, skips_in_a_row, week = 0, 0, current
    for i in range(LOOKBACK_WEEKS):
        m = mark(week, checked, skipped, current_open and i == 0)
        if m == "checked":
            count, skips_in_a_row = count + 1, 0
        elif m == "skipped":
            skips_in_a_row += 1
            if skips_in_a_row > grace:
                break
        elif m == "missed":
            break
        week -= WEEK
    return count


def missed_in_a_row(
    checked: Collection[date], skipped: Collection[date], last_closed: date, joined: date
) -> int:
    """Closed weeks missed without notice, counting back from `last_closed` and not
    before the member's first week in the group."""
    n, week = 0, last_closed
    while week >= joined and week not in checked and week not in skipped and n < LOOKBACK_WEEKS:
        n += 1
        week -= WEEK
    return n
