"""The command parser over arbitrary text, for every registered command and sub:
only UserError (with a message) ever comes out of parse and bind."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import CommandSpec, SubSpec, bind, parse, split_command_line
from bot.errors import UserError
from bot.registry import registry
from tests.badinput.support import SUBS, actor, anything, key_value, word

ALICE = actor("alice")

# free text after the command name: words, quotes, key=value junk, sub names
fragment = st.one_of(
    word, anything, key_value, st.sampled_from(sorted({s.name for s in SUBS if s.name}))
)
rest_text = st.one_of(st.lists(fragment, max_size=8).map(" ".join), st.text(max_size=300))


@settings(max_examples=400, deadline=None)
@given(spec=st.sampled_from(list(registry.commands.values())), text=rest_text)
def test_parse_raises_only_user_errors(spec: CommandSpec, text: str) -> None:
    try:
        cmd = parse(spec, text, ALICE, "C1")
    except UserError as exc:
        assert exc.message.strip()
        return
    sub = spec.subs[cmd.sub]
    for opt in sub.options:  # what comes out satisfies the spec
        value = cmd.options.get(opt.name, "")
        assert not (opt.required and not value), (opt.name, cmd.options)
        assert len(value) <= opt.max_length
        if opt.kind == "choice" and value and opt.choices:
            assert value in opt.choices


@settings(max_examples=300, deadline=None)
@given(
    sub=st.sampled_from(SUBS),
    options=st.dictionaries(st.one_of(st.sampled_from(["id", "name", "text"]), word), anything),
    data=st.data(),
)
def test_bind_raises_only_user_errors(
    sub: SubSpec, options: dict[str, str], data: st.DataObject
) -> None:
    for opt in sub.options:  # often the spec's own names
        if data.draw(st.booleans()):
            options[opt.name] = data.draw(anything)
    try:
        bind(sub, options, ALICE)
    except UserError as exc:
        assert exc.message.strip()


@given(line=st.text(max_size=200))
def test_split_command_line_never_fails(line: str) -> None:
    name, rest = split_command_line(line)
    assert name == name.lower() and rest == rest.strip()
