"""Bugs the bad-input properties found, pinned as plain tests on both databases."""

from __future__ import annotations

from bot.commands import Actor
from bot.core import Rounds
from bot.members import load_membership

ALICE = Actor("console:demo", "alice", "alice")
OLIVIA = Actor("console:demo", "olivia", "olivia", platform_organiser=True)


async def test_a_nul_character_is_dropped_not_a_database_error(any_rounds: Rounds) -> None:
    """PostgreSQL refuses NUL in text: '/profile set name a<NUL>b' answered
    "Something went wrong" there (SQLite stored it)."""
    saved = await any_rounds.run_line(ALICE, "/profile set name Al\x00ice\x1b[31m")
    assert not saved.error, saved.text
    named = await any_rounds.run(OLIVIA, "admin", "set", {"key": "name", "value": "Demo\x00"})
    assert not named.error, named.text
    await any_rounds.run_line(ALICE, "/group create crew")
    checked = await any_rounds.run_line(ALICE, '/checkin win="a\x00win" next="one\x00 thing"')
    assert not checked.error, checked.text
    async with any_rounds.db.connect() as conn:
        community, profile = await load_membership(conn, "console:demo", "alice")
    assert profile is not None and profile.display_name == "Alice[31m"
    assert community is not None and community.name == "Demo"


async def test_a_nul_in_a_pitch_typed_after_the_subcommand(any_rounds: Rounds) -> None:
    """The pitch text is read as typed (so quotes and spacing survive), which
    skipped the control-character filter: '/pitch-review submit 0<NUL>' failed on
    PostgreSQL."""
    assert not (await any_rounds.run_line(OLIVIA, "/admin set review-channel reviews")).error
    line = "/pitch-review submit I am\x00 an IMG applying to IR"
    submitted = await any_rounds.run_line(ALICE, line)
    assert not submitted.error, submitted.text
    assert "\x00" not in submitted.text


async def test_an_id_beyond_the_integer_columns_is_a_friendly_error(any_rounds: Rounds) -> None:
    """'/mentor accept 9223372036854775808' overflowed the integer columns and
    answered "Something went wrong"; so did '/mentor export 99999999999999999999'."""
    for actor, line in (
        (ALICE, "/mentor accept 9223372036854775808"),
        (ALICE, "/mentee met 99999999999999999999 yes"),
        (OLIVIA, "/mentor export 99999999999999999999"),
        (ALICE, "/pitch-review rate 1 2147483648 clarity=3"),
    ):
        response = await any_rounds.run_line(actor, line)
        assert response.error and "up to 2,147,483,647" in response.text, (line, response.text)
