"""The free-text parser: what Slack and the console send becomes the right Command."""

from __future__ import annotations

import pytest

from bot.commands import Actor, CommandSpec, OptionSpec, SubSpec, parse, split_command_line
from bot.errors import UserError
from bot.responses import Response

ACTOR = Actor("console:demo", "alice")


async def _noop(ctx, cmd):  # type: ignore[no-untyped-def]
    return Response()


def _spec() -> CommandSpec:
    spec = CommandSpec("group", "groups", default="show")
    spec.subs["join"] = SubSpec("group", "join", "join", _noop, (OptionSpec("name", "n"),))
    spec.subs["show"] = SubSpec(
        "group", "show", "show", _noop, (OptionSpec("name", "n", required=False),)
    )
    spec.subs["note"] = SubSpec(
        "group",
        "note",
        "note",
        _noop,
        (
            OptionSpec("who", "w", kind="member"),
            OptionSpec("weeks", "k", kind="int"),
            OptionSpec("text", "t", kind="text", max_length=20),
        ),
    )
    return spec


def test_split_command_line() -> None:
    assert split_command_line("/Group join x") == ("group", "join x")
    assert split_command_line("help") == ("help", "")


def test_subcommand_and_positional() -> None:
    cmd = parse(_spec(), "join tuesday-crew", ACTOR)
    assert (cmd.name, cmd.sub, dict(cmd.options)) == ("group", "join", {"name": "tuesday-crew"})


def test_default_sub_when_none_named() -> None:
    assert parse(_spec(), "", ACTOR).sub == "show"
    assert parse(_spec(), "crew", ACTOR).options == {"name": "crew"}


def test_text_option_keeps_rest_of_line_and_members_are_ids() -> None:
    cmd = parse(_spec(), 'note U123 2 done  the "draft"', ACTOR)
    assert cmd.options == {"who": "U123", "weeks": "2", "text": 'done  the "draft"'}
    assert parse(_spec(), "note @bob 1 hi", ACTOR).options["who"] == "bob"
    # platform syntax is the adapters' business: the core never reads it as a member
    with pytest.raises(UserError, match="should name a member"):
        parse(_spec(), "note <@U123|bob> 1 hi", ACTOR)


def test_quoted_and_keyword_options() -> None:
    assert parse(_spec(), 'join "tuesday crew"', ACTOR).options == {"name": "tuesday crew"}
    assert parse(_spec(), "join name=x", ACTOR).options == {"name": "x"}


def test_a_last_text_option_given_by_name_runs_to_the_next_named_option() -> None:
    # "/mentor round publish next=15 jan": the words after it are its own
    assert parse(_spec(), "note bob 2 text=done the draft", ACTOR).options["text"] == (
        "done the draft"
    )
    assert parse(_spec(), "note text=done it weeks=3 bob", ACTOR).options == {
        "text": "done it",
        "weeks": "3",
        "who": "bob",
    }
    # an option that is not the last one keeps one word: the rest go on by position
    assert parse(_spec(), "note who=bob 2 hi there", ACTOR).options == {
        "who": "bob",
        "weeks": "2",
        "text": "hi there",
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("join", "Missing <name>"),
        ("note @bob two hi", "whole number"),
        ("note @bob 2147483648 hi", "up to 2,147,483,647"),
        ("note @bob 99999999999999999999999 hi", "up to 2,147,483,647"),
        ("note @bob -9223372036854775809 hi", "up to 2,147,483,647"),
        ("note @bob ٣ hi", "whole number"),
        ("note @bob 1 " + "x" * 21, "limit is 20"),
        ("join a b", "Too many words"),
    ],
)
def test_bad_input_is_a_friendly_error(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse(_spec(), text, ACTOR)


def test_whole_numbers_come_out_plain() -> None:
    """Regression (bad-input suite): /mentor accept 9223372036854775808 overflowed
    SQLite's integer and reached the member as "Something went wrong"."""
    assert parse(_spec(), "note @bob 007 hi", ACTOR).options["weeks"] == "7"
    assert parse(_spec(), "note @bob 2147483647 hi", ACTOR).options["weeks"] == "2147483647"
    assert parse(_spec(), "note @bob -0 hi", ACTOR).options["weeks"] == "0"


def test_no_subcommand_and_no_default() -> None:
    spec = _spec()
    spec.default = None
    with pytest.raises(UserError, match="needs a subcommand"):
        parse(spec, "", ACTOR)
