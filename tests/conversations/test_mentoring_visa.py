"""Background and visas in sign-ups and profiles: a non-US IMG says their visa
path and that it matters, a mentor says which visas they have guided and what
their program sponsors, the round's preview gives the visa-experienced mentor to
that mentee and says why, and a missing visa mentor is named when it binds."""

from __future__ import annotations

import pytest

from bot.core import Rounds
from tests.conversation import Conversation, Talk

SIGNUP = "/mentor signup kinds={kinds} focus=interventional-oncology stage=attending capacity=1"
ADA = "/mentee signup kinds=research focus=interventional-oncology stage=graduate goal='a J-1 plan'"
BO = (
    "/mentee signup kinds=research,career,sponsor focus=interventional-oncology "
    "stage=graduate goal='letters'"
)
DETAILS = "timezone=America/New_York languages=english"


@pytest.fixture
async def any_chat(talk: Talk, any_rounds: Rounds) -> Conversation:
    return await talk(any_rounds, community="demo", organisers={"olivia"})


async def test_the_visa_mentor_goes_to_the_mentee_who_needs_one(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("olivia", "/mentor round open seed=5")
    await chat.ok("vic", SIGNUP.format(kinds="research,career"))
    vic = await chat.ok("vic", f"/mentor details img=experienced visas='j1, sponsor-h1b' {DETAILS}")
    assert vic.data["mentoring_details"]["visa_help"] == ["j1"]
    assert vic.data["mentoring_details"]["sponsors"] == ["h1b"]
    await chat.ok("ned", SIGNUP.format(kinds="research"))
    await chat.ok("ned", f"/mentor details img=experienced {DETAILS}")
    opened = await chat.ok("ada", "/mentee signup")
    assert "Exams, ECFMG, visas and timing" in opened.text  # kinds described, not bare ids
    await chat.ok("ada", ADA)
    form = (await chat.ok("ada", "/mentee details")).form
    assert form is not None and len(form.fields) <= 5
    assert [c.value for c in form.fields[0].choices][:3] == ["us-grad", "us-img", "non-us-img"]
    ada = await chat.ok(
        "ada", f"/mentee details img=non-us-img visa=j1 visa_important=yes {DETAILS}"
    )
    assert ada.data["mentoring_details"]["background"] == "non-us-img"
    assert ada.data["mentoring_details"]["img"] == "img"
    await chat.ok("bo", BO)
    await chat.ok("bo", f"/mentee details img=us-grad {DETAILS}")
    plan = (await chat.ok("olivia", "/mentor round preview")).data["preview"]
    pairs = {p["mentee"]: (p["mentor"], p["why"]) for p in plan["pairs"]}
    assert pairs["ada"][0] == "vic" and pairs["bo"][0] == "ned"
    assert pairs["ada"][1].startswith("mentor has guided J-1 visa questions")
    # The sign-up set the profile; the profile shows it.
    shown = (await chat.ok("ada", "/profile show")).data["profile"]
    assert (shown["background"], shown["visa"]) == ("non-us-img", "j1")
    mine = await chat.ok("vic", "/mentor profile")
    assert any(f.value == "J-1" for f in mine.fields)


async def test_a_missing_visa_mentor_is_named(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("olivia", "/mentor round open seed=5")
    await chat.ok("ned", SIGNUP.format(kinds="career"))
    for who in ("ada", "amy"):  # one place, two non-US IMGs asking for process mentoring
        await chat.ok(who, ADA.replace("kinds=research", "kinds=img-process"))
        await chat.ok(who, f"/mentee details img=non-us-img visa=h1b {DETAILS}")
    plan = (await chat.ok("olivia", "/mentor round preview")).data["preview"]
    (left,) = plan["unmatched"]
    assert left["constraint"] == "visa"
    assert "a mentor who knows visa questions (H-1B)" in left["why"]


async def test_profile_background_and_bad_visa_input(any_chat: Conversation) -> None:
    chat = any_chat
    assert "set your background first" in (await chat.fails("bo", "/profile set visa j1")).text
    await chat.ok("bo", "/profile set background us-img")
    assert "non-US IMGs" in (await chat.fails("bo", "/profile set visa j1")).text
    await chat.ok("bo", "/profile set background non-us-img")
    await chat.ok("bo", "/profile set visa h1b")
    assert (await chat.ok("bo", "/profile show")).data["profile"]["visa"] == "h1b"
    assert "Choose your visa path" in (await chat.fails("bo", "/profile set visa o1")).text
    assert (
        "Choose your background" in (await chat.fails("bo", "/profile set background alien")).text
    )
    await chat.ok("bo", ADA)
    before = (await chat.ok("bo", "/mentee profile")).data
    bad = [f"/mentee details img=us-grad visa=j1 {DETAILS}"]
    if chat.adapter == "console":  # a platform's select box cannot send a value off its list
        bad += [
            f"/mentee details img=martian {DETAILS}",
            f"/mentee details img=non-us-img visa=l1 {DETAILS}",
            f"/mentee details img=non-us-img visa_important=maybe {DETAILS}",
        ]
    for line in bad:
        await chat.fails("bo", line)
    assert (await chat.ok("bo", "/mentee profile")).data == before
    await chat.ok("vic", SIGNUP.format(kinds="research"))
    assert "not one I know" in (await chat.fails("vic", f"/mentor details visas=o1 {DETAILS}")).text
