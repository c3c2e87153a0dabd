"""/group want and /group form: organisers preview groups, then commit them with
the preview's button; a changed list is never committed blindly."""

from __future__ import annotations

from sqlalchemy import select

from bot.core import Rounds
from bot.scheduling.tables import jobs
from tests.conversation import Conversation

PEOPLE = {
    "ana": ("Europe/Berlin", "ms3"),
    "ben": ("Europe/Berlin", "ms3"),
    "cem": ("Europe/Paris", "ms4"),
    "dia": ("Europe/Rome", "ms4"),
    "eli": ("America/Chicago", "ms3"),
    "fox": ("America/Chicago", "ms4"),
    "gus": ("America/Mexico_City", "ms3"),
}


async def _want(chat: Conversation, name: str, zone: str, stage: str) -> None:
    await chat.ok(name, f"/profile set timezone {zone}")
    await chat.ok(name, f"/profile set stage {stage}")
    await chat.ok(name, "/group want")


async def test_form_previews_then_commits(chat: Conversation, rounds: Rounds) -> None:
    for name, (zone, stage) in PEOPLE.items():
        await _want(chat, name, zone, stage)
    assert "already on the list" in (await chat.ok("ana", "/group want")).text
    assert "for organisers" in (await chat.fails("ana", "/group form")).text

    preview = await chat.ok("olivia", "/group form")
    plan = preview.data["plan"]
    assert plan["groups"] == {
        "ir-peers-1": ["eli", "fox", "gus"],
        "ir-peers-2": ["ana", "ben", "cem", "dia"],
    }
    assert (await chat.ok("olivia", "/group list")).data["groups"] == []  # nothing saved yet
    assert preview.buttons[0].action == f"group form-commit token={plan['token']}"

    done = await chat.ok("olivia", "/" + preview.buttons[0].action)
    assert done.data["formed"] == plan["groups"]
    dms = {p.to.member_id: p.message.text for p in done.also}
    assert set(dms) == set(PEOPLE)
    assert "**ir-peers-1** with fox, gus" in dms["eli"]
    shown = (await chat.ok("eli", "/group")).data["group"]
    assert (shown["name"], shown["timezone"], shown["size"]) == ("ir-peers-1", "America/Chicago", 3)
    assert (await chat.ok("ana", "/group")).data["group"]["timezone"] == "Europe/Paris"
    async with rounds.db.connect() as conn:
        keys = set((await conn.execute(select(jobs.c.key))).scalars())
    assert {"group:1:prompt", "group:2:digest", "groups:report"} <= keys
    # The same button pressed again has nothing left to do.
    assert "Nobody is waiting" in (await chat.fails("olivia", "/" + preview.buttons[0].action)).text


async def test_a_changed_list_is_not_committed(chat: Conversation) -> None:
    for name in ("ana", "ben", "cem"):
        await _want(chat, name, "Europe/Berlin", "ms3")
    preview = await chat.ok("olivia", "/group form")
    await _want(chat, "dia", "Europe/Berlin", "ms4")
    stale = await chat.fails("olivia", "/" + preview.buttons[0].action)
    assert "changed since the preview" in stale.text
    assert (await chat.ok("olivia", "/group list")).data["groups"] == []
    fresh = await chat.ok("olivia", "/group form")
    assert fresh.data["plan"]["groups"] == {"ir-peers-1": ["ana", "ben", "cem", "dia"]}


async def test_one_or_two_left_join_groups_with_room_never_alone(chat: Conversation) -> None:
    await _want(chat, "solo", "Asia/Kolkata", "ms3")
    alone = await chat.ok("olivia", "/group form")
    assert alone.data["plan"]["waiting"] == ["solo"] and alone.buttons == ()
    await chat.ok("ana", "/group create berlin-crew mon 09:00 Europe/Berlin")
    await chat.ok("eli", "/group create dubai-crew mon 09:00 Asia/Dubai")
    await _want(chat, "pia", "Europe/Paris", "ms4")
    preview = await chat.ok("olivia", "/group form")
    assert preview.data["plan"]["additions"] == {"pia": "berlin-crew", "solo": "dubai-crew"}
    assert preview.data["plan"]["groups"] == {}
    await chat.ok("olivia", "/" + preview.buttons[0].action)
    assert (await chat.ok("solo", "/group")).data["group"]["name"] == "dubai-crew"
    assert "already in **berlin-crew**" in (await chat.fails("pia", "/group want")).text


async def test_want_off(chat: Conversation) -> None:
    assert "were not on the list" in (await chat.ok("ana", "/group want off")).text
    await chat.ok("ana", "/group want")
    assert "off the list" in (await chat.ok("ana", "/group want off")).text
    assert "Nobody is waiting" in (await chat.ok("olivia", "/group form")).text
