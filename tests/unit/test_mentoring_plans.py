"""A kept plan is used only for the inputs it was made from: the hash changes
with every input the solver is given, is the same for content loaded twice,
and a plan read back is the plan that was kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.content import Content, load_content
from bot.features.mentoring import plans
from bot.features.mentoring.planning import make_plan
from bot.features.mentoring.store import Round, Signup
from tests.unit.test_mentoring_matching import NOW


def _signup(member_id: str, role: str, **kw: object) -> Signup:
    values: dict[str, object] = {
        "member_id": member_id,
        "role": role,
        "name": member_id.title(),
        "pack": "ir",
        "kinds": ("research",),
        "focus": ("interventional-oncology",),
        "stage": "attending" if role == "mentor" else "ms3",
        "img": "none",
        "timezone": "America/New_York",
        "languages": ("english",),
        "capacity": 1,
        "goal": "",
        "active": True,
        **kw,
    }
    return Signup(**values)  # type: ignore[arg-type]


POOL = [_signup("ana", "mentor"), _signup("amir", "mentee"), _signup("bea", "mentee")]
ROUND = Round(7, "closed", 42, None, NOW, NOW, None)


def test_the_key_changes_with_every_input(content: Content) -> None:
    def key(**change: object) -> str:
        args: dict[str, object] = {
            "content": content,
            "community_id": "demo",
            "rnd": ROUND,
            "pool": POOL,
            "forbidden": {("ana", "bea")},
            **change,
        }
        return plans.inputs_key(**args)  # type: ignore[arg-type]

    base = key()
    assert key(content=load_content()) == base  # another process's content
    changed = [
        key(community_id="other"),
        key(rnd=replace(ROUND, id=8)),
        key(rnd=replace(ROUND, seed=43)),
        key(rnd=replace(ROUND, opened_at=NOW + timedelta(seconds=1))),
        key(forbidden=set()),
        key(forbidden={("ana", "bea"), ("ana", "amir")}),
        key(pool=POOL[:2]),  # a withdrawn mentee
        key(pool=[*POOL, _signup("bo", "mentee")]),  # a late sign-up
        key(pool=[replace(POOL[0], name="Ana B.")]),  # the explanations name people
        key(pool=[replace(POOL[0], capacity=2), *POOL[1:]]),
        key(content=replace(content, messages=content.messages.model_copy(deep=True))),
    ]
    assert base not in changed[:-1] and len(set(changed[:-1])) == len(changed) - 1
    assert changed[-1] == base  # equal content, another object: the same key
    edited = content.messages.model_copy(
        update={"templates": {**content.messages.templates, "mentoring_why_kinds": "{kinds}"}}
    )
    assert key(content=replace(content, messages=edited)) != base


def test_a_plan_read_back_is_the_plan_kept(content: Content) -> None:
    plan = make_plan(content, POOL, set(), 42, NOW, content.msg)
    assert plan.proposals and plan.unmatched
    assert plans.decode(content, POOL, plans.encode(plan)) == plan
