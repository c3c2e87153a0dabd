"""ROUNDS_DISCORD_SHARDS: which Discord shards this process runs, written
`FIRST-LAST/COUNT` or `ID/COUNT` (`0-1/4`: shards 0 and 1 of 4). Discord sends
each guild's events to one shard (guild id >> 22 modulo the count), so N
processes with disjoint ranges of one count share the guilds between them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FORM = re.compile(r"^\s*(\d+)(?:\s*-\s*(\d+))?\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shards:
    ids: tuple[int, ...]
    count: int


def parse_shards(raw: str) -> Shards:
    """The shards a setting names; ValueError with the reason when it is not usable."""
    m = _FORM.match(raw)
    if not m:
        raise ValueError("write it as FIRST-LAST/COUNT or ID/COUNT, e.g. 0-1/4")
    first, last, count = int(m.group(1)), int(m.group(2) or m.group(1)), int(m.group(3))
    if count < 1 or count > 4096:
        raise ValueError("the shard count must be between 1 and 4096")
    if first > last or last >= count:
        raise ValueError(f"shard ids must run upwards and stay below the count ({count})")
    return Shards(tuple(range(first, last + 1)), count)
