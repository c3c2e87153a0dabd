"""Exports arrive as files (issue 18): /privacy export sends a JSON file to the
member's DMs and /mentor export answers the organiser with a CSV file; the
console writes each where it says, and the bytes on disk hold the right rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.console.app import Console
from bot.core import Rounds
from tests.conversation import Conversation

BEN = "/mentor signup kinds=near-peer,career focus=venous-disease stage=pgy3 capacity=1"
BEA = "/mentee signup kinds=near-peer focus=venous-disease stage=ms2 goal='plan away rotations'"


@pytest.fixture
def any_chat(any_rounds: Rounds) -> Conversation:
    return Conversation(any_rounds, community="demo", organisers={"olivia"})


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def _files(printed: dict[str, Any]) -> list[dict[str, Any]]:
    """The files a printed reply carried (its own and its posts')."""
    found = [printed["file"]] if printed.get("file") else []
    return found + [p["message"]["file"] for p in printed["also"] if p["message"].get("file")]


async def test_privacy_export_is_a_json_file_with_only_the_members_rows(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await chat.ok("bob", '/contact add "Dr Not Alices" role=PD')
    await chat.ok("bob", '/letters request "Dr Not Alices" 2027-05-01')
    await chat.ok("alice", '/contact add "Dr Ada Okafor" role="IR attending"')
    await chat.ok("alice", '/letters request "Dr Ada Okafor" 2027-04-01')
    reply = await chat.ok("alice", "/privacy export")
    (dm,) = reply.also
    assert dm.to.member_id == "alice" and dm.message.file is not None
    assert "rounds-data.json" in dm.message.text and "rounds-data.json" in reply.text
    (printed,) = _files(chat.printed()[-1])
    assert printed["name"] == "rounds-data.json" and printed["media_type"] == "application/json"
    on_disk = _read(printed["path"])
    assert on_disk == dm.message.file.content and printed["size"] == len(on_disk)
    data = json.loads(on_disk)
    assert data["member"] == "alice"
    assert [c["name"] for c in data["tables"]["contacts"]] == ["Dr Ada Okafor"]
    assert [x["writer"] for x in data["tables"]["letters"]] == ["Dr Ada Okafor"]
    assert "bob" not in on_disk.decode() and "Dr Not Alices" not in on_disk.decode()


async def test_mentor_export_is_a_csv_file_for_the_organiser(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("olivia", "/mentor round open seed=42")
    await chat.ok("ben", BEN)
    await chat.ok("bea", BEA)
    export = await chat.ok("olivia", "/mentor export")
    assert "mentoring-round-1.csv" in export.text
    (printed,) = _files(chat.printed()[-1])
    assert printed["name"] == "mentoring-round-1.csv" and printed["media_type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(_read(printed["path"]).decode())))
    assert [(r["mentee"], r["mentor"], r["status"]) for r in rows] == [("bea", "ben", "preview")]


async def test_the_console_prints_where_it_wrote_the_file(rounds: Rounds, tmp_path: Path) -> None:
    out = io.StringIO()
    console = Console(rounds, member="alice", out=out, files_dir=tmp_path / "files")
    await console.line("/privacy export")
    written = [line for line in out.getvalue().splitlines() if "file written to" in line]
    assert len(written) == 1
    path = written[0].split("file written to ", 1)[1].strip()
    assert path == str(tmp_path / "files" / "rounds-data.json")
    assert json.loads(_read(path))["member"] == "alice"
