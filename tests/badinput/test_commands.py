"""Every registered subcommand, run through the core with hypothesis-made option
values (typed lines and structured options), and every form a command returns,
submitted with hypothesis-made field values. Each example starts from the same
community with data in every feature (a copy of one SQLite file), and must end
with no unhandled exception, a message on every rejection, and every table
unchanged after a rejection."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.commands import SubSpec, parse, split_command_line
from bot.content import Content
from bot.core import Rounds
from bot.registry import registry
from bot.responses import Form
from bot.storage.db import Database
from tests.badinput.support import (
    COMMANDS,
    EXAMPLES,
    MEMBERS,
    SUBS,
    actor,
    anything,
    build_community,
    check_answer,
    failures,
    form_value,
    snapshot,
    value_for,
    word,
)
from tests.conftest import START, _run

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# (member, command line) that answer with a form, in the built community
FORM_LINES = (
    ("alice", "/profile edit"),
    ("alice", "/checkin"),
    ("bob", "/checkin"),
    ("carol", "/pitch-review review 1"),
    ("dan", "/mentor signup"),
    ("alice", "/mentor details"),
    ("dan", "/mentee signup"),
    ("carol", "/mentee details"),
    ("dan", "/contact add"),
)


@pytest.fixture(scope="session")
def community_file(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, content: Content
) -> Path:
    path = tmp_path_factory.mktemp("badinput") / "community.db"
    shutil.copy(sqlite_template, path)

    async def build() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await build_community(Rounds(db, content, clock=FakeClock(START)))
        await db.close()

    _run(build)
    return path


class Fresh:
    """A copy of the community per example, so every example starts the same."""

    def __init__(self, source: Path, work: Path, content: Content) -> None:
        self.source, self.work, self.content = source, work, content

    async def __aenter__(self) -> Rounds:
        shutil.copy(self.source, self.work)
        self.db = Database(f"sqlite+aiosqlite:///{self.work}")
        return Rounds(self.db, self.content, clock=FakeClock(START))

    async def __aexit__(self, *exc: object) -> None:
        await self.db.close()


@pytest.fixture
def fresh(community_file: Path, tmp_path: Path, content: Content) -> Iterator[Fresh]:
    yield Fresh(community_file, tmp_path / "example.db", content)


def _subs(command: str) -> list[SubSpec]:
    return list(registry.commands[command].subs.values())


def _typed_line(sub: SubSpec, values: list[str], extra: list[str], keyed: bool) -> str:
    parts = [f"/{sub.command}", sub.name]
    for opt, value in zip(sub.options, values, strict=False):
        parts.append(f'{opt.name}="{value}"' if keyed else value)
    return " ".join(p for p in [*parts, *extra] if p)


@pytest.mark.parametrize("command", COMMANDS)
@SETTINGS
@given(data=st.data())
async def test_every_subcommand_with_hostile_options(
    fresh: Fresh, command: str, data: st.DataObject
) -> None:
    sub = data.draw(st.sampled_from(_subs(command)), label="sub")
    member = data.draw(st.sampled_from(MEMBERS), label="member")
    values = [data.draw(value_for(o)) for o in sub.options]
    keep = data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    extra = data.draw(st.lists(anything, max_size=2), label="extra")
    async with fresh as rounds:
        before = await snapshot(rounds)
        with failures() as caught:
            if data.draw(st.booleans(), label="typed"):
                kept = [v for v, k in zip(values, keep, strict=True) if k]
                line = _typed_line(sub, kept, extra, data.draw(st.booleans(), label="keyed"))
                response = await rounds.run_line(actor(member), line, channel_id="console")
                what: object = line
            else:
                options = {o.name: v for o, v in zip(sub.options, values, strict=True)}
                options = {k: v for (k, v), ok in zip(options.items(), keep, strict=True) if ok}
                for i, value in enumerate(extra):
                    options[data.draw(word, label=f"key{i}")] = value
                response = await rounds.run(actor(member), sub.command, sub.name, options)
                what = (sub.command, sub.name, options)
            await check_answer(rounds, response, before, caught, what)


@pytest.mark.parametrize(("member", "line"), FORM_LINES)
@SETTINGS
@given(data=st.data())
async def test_every_form_with_hostile_fields(
    fresh: Fresh, member: str, line: str, data: st.DataObject
) -> None:
    async with fresh as rounds:
        opened = await rounds.run_line(actor(member), line, channel_id="console")
        assert opened.form is not None, opened.text
        form: Form = opened.form
        values: dict[str, str] = {}
        for f in form.fields:
            if data.draw(st.integers(0, 9), label=f"omit {f.key}") == 0:
                continue  # a field left out entirely
            choices = tuple(c.value for c in f.choices)
            strategy = form_value(f.kind, f.default, choices, f.placeholder)
            values[f.key] = data.draw(strategy, label=f.key)
        name, rest = split_command_line(form.submit)
        spec = registry.find(name)
        assert spec is not None
        base = parse(spec, rest, actor(member))
        options = {**base.options, **values}
        before = await snapshot(rounds)
        with failures() as caught:
            response = await rounds.run(actor(member), base.name, base.sub, options)
            await check_answer(rounds, response, before, caught, (form.submit, values))


def test_the_suite_covers_every_subcommand_and_form() -> None:
    assert {s.command for s in SUBS} == set(COMMANDS)
    submits = {"profile save", "checkin save", "pitch-review rate", "mentor save"}
    submits |= {"mentor save-details", "mentee save", "mentee save-details"}
    hidden_form_subs = {f"{s.command} {s.name}" for s in SUBS if s.hidden and not s.options}
    assert hidden_form_subs <= submits
