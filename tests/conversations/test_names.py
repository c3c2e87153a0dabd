"""Names with spaces, typed without quotes: contacts, conferences, letter writers."""

from __future__ import annotations

from tests.conversation import Conversation


async def test_contact_add_dr_sam_lee_stores_the_whole_name(chat: Conversation) -> None:
    made = await chat.ok("alice", "/contact add Dr Sam Lee")
    assert made.data["contact"]["name"] == "Dr Sam Lee"
    shown = (await chat.ok("alice", "/contact show 1")).data["contact"]
    assert (shown["name"], shown["role"], shown["institution"]) == ("Dr Sam Lee", "", "")


async def test_commas_make_the_split_certain(chat: Conversation) -> None:
    await chat.ok("alice", "/contact add Dr Sam Lee, IR fellow, Emory, SIR 2027")
    shown = (await chat.ok("alice", "/contact show 1")).data["contact"]
    assert (shown["name"], shown["role"], shown["institution"], shown["where"]) == (
        "Dr Sam Lee",
        "IR fellow",
        "Emory",
        "SIR 2027",
    )


async def test_an_uncertain_split_opens_the_form_prefilled_and_stores_nothing(
    chat: Conversation,
) -> None:
    asked = await chat.ok("alice", "/contact add Dr Sam Lee IR fellow Emory University")
    assert asked.form is not None and "nothing is saved" in asked.text
    prefilled = {f.key: f.default for f in asked.form.fields}
    assert (prefilled["name"], prefilled["role"], prefilled["institution"]) == (
        "Dr Sam Lee",
        "IR fellow",
        "Emory University",
    )
    assert (await chat.ok("alice", "/contact list")).data["contacts"] == []
    await chat.ok(
        "alice",
        '/contact add name="Dr Sam Lee" role="IR fellow" institution="Emory University"',
    )
    assert [c["name"] for c in (await chat.ok("alice", "/contact list")).data["contacts"]] == [
        "Dr Sam Lee"
    ]


async def test_a_name_already_in_the_log_is_used_not_doubled(chat: Conversation) -> None:
    await chat.ok("alice", "/contact add Dr Sam Lee")
    again = await chat.ok("alice", "/contact add dr sam lee")
    assert again.data["contact"] == {"id": 1, "name": "Dr Sam Lee", "existing": True}
    assert len((await chat.ok("alice", "/contact list")).data["contacts"]) == 1
    letter = (await chat.ok("alice", "/letters request Dr Sam Lee 2027-04-15 ERAS")).data
    assert (letter["letter"]["writer"], letter["letter"]["contact"]) == ("Dr Sam Lee", 1)


async def test_conference_attend_sir_2027_finds_the_conference(chat: Conversation) -> None:
    await chat.ok("olivia", "/conference add SIR 2027 2027-03-20 2027-03-24 Boston")
    attending = await chat.ok("bob", "/conference attend SIR 2027")
    assert attending.data["attend"]["conference"] == "SIR 2027"
    assert (await chat.ok("bob", "/conference leave SIR 2027")).data["left"] == "SIR 2027"
