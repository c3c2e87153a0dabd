"""/group form's partition: sizes 3-5, no group of one or two when avoidable,
close UTC offsets, mixed stages, the same plan for the same people."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import Content
from bot.features.groups.content import CheckinSection, Forming
from bot.features.groups.partition import Candidate, OpenGroup, cost, plan, sizes


def _forming(content: Content) -> Forming:
    return content.pack("ir").section("checkin", CheckinSection).forming


def _people(n: int, seed: int = 1) -> list[Candidate]:
    rng = random.Random(seed)
    zones = [(-360, "America/Chicago"), (60, "Europe/Berlin"), (330, "Asia/Kolkata")]
    out = []
    for i in range(n):
        offset, zone = rng.choice(zones)
        out.append(Candidate(f"m{i:03d}", offset, zone, rng.choice(["ms3", "ms4", "img", None])))
    return out


def test_sizes_cover_everyone_within_bounds() -> None:
    assert sizes(2, 3, 5) == []
    assert sizes(3, 3, 5) == [3]
    assert sizes(6, 3, 5) == [3, 3]
    assert sizes(7, 3, 5) == [4, 3]
    assert sizes(11, 3, 5) == [4, 4, 3]
    for n in range(3, 400):
        got = sizes(n, 3, 5)
        assert sum(got) == n and all(3 <= s <= 5 for s in got), n


@settings(max_examples=60, deadline=None)
@given(n=st.integers(3, 60), seed=st.integers(0, 10_000))
def test_every_plan_places_everyone_in_groups_of_three_to_five(
    content: Content, n: int, seed: int
) -> None:
    people = _people(n, seed)
    p = plan(people, [], _forming(content))
    assert sorted(c.member_id for g in p.groups for c in g) == sorted(c.member_id for c in people)
    assert all(3 <= len(g) <= 5 for g in p.groups)
    assert not p.waiting and not p.additions


def test_same_people_same_plan_whatever_the_order(content: Content) -> None:
    people = _people(23)
    a = plan(people, [], _forming(content))
    b = plan(list(reversed(people)), [], _forming(content))
    assert a == b and a.token == b.token
    assert plan(people[:-1], [], _forming(content)).token != a.token


def test_time_zones_stay_together(content: Content) -> None:
    people = [Candidate(f"c{i}", -360, "America/Chicago", "ms3") for i in range(4)]
    people += [Candidate(f"k{i}", 330, "Asia/Kolkata", "ms3") for i in range(4)]
    p = plan(people, [], _forming(content))
    for g in p.groups:
        assert len({c.offset_minutes for c in g}) == 1


def test_stages_are_mixed_when_zones_allow(content: Content) -> None:
    people = [Candidate(f"a{i}", 60, "Europe/Berlin", "ms3") for i in range(3)]
    people += [Candidate(f"b{i}", 60, "Europe/Berlin", "ms4") for i in range(3)]
    forming = _forming(content)
    p = plan(people, [], forming)
    assert [sorted({c.stage for c in g}) for g in p.groups] == [["ms3", "ms4"]] * 2
    assert sum(cost(list(g), forming) for g in p.groups) < cost(people[:3], forming) * 2


def test_too_few_people_join_the_closest_group_with_room(content: Content) -> None:
    forming = _forming(content)
    berlin = Candidate("ana", 60, "Europe/Berlin")
    delhi = Candidate("dev", 330, "Asia/Kolkata")
    open_groups = [
        OpenGroup(1, "berlin-crew", 60, 4),
        OpenGroup(2, "delhi-crew", 330, 5),  # full
        OpenGroup(3, "dubai-crew", 240, 3),
    ]
    p = plan([berlin, delhi], open_groups, forming)
    assert [(c.member_id, g.name) for c, g in p.additions] == [
        ("ana", "berlin-crew"),
        ("dev", "dubai-crew"),
    ]
    alone = plan([berlin], [], forming)
    assert alone.empty and alone.waiting == (berlin,)
