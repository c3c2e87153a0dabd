"""Files through Slack: a member's /privacy export arrives in their DM as an
uploaded JSON file (files upload v2 against the fake Web API), holding their
rows and nobody else's; an organiser's /mentor export CSV goes to their DM (an
ephemeral reply cannot carry a file); the manifest asks for files:write."""

from __future__ import annotations

import csv
import io
import json

from adapters.slack.manifest import manifest
from bot.commands import Actor
from tests.adapters.pool import open_round_with_a_pair
from tests.adapters.slack.conftest import ADMIN, Slack, community
from tests.fakes.slack_requests import USER_ID

OTHER = "U0SOMEONEELSE"
MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"


async def test_privacy_export_is_uploaded_to_the_members_dm(slack: Slack) -> None:
    other = Actor(community(), OTHER)
    await slack.rounds.run_line(other, '/contact add "Dr Not Yours" role=PD')
    await slack.command('/contact add "Dr Ada Okafor" role="IR attending"')
    await slack.command('/letters request "Dr Ada Okafor" 2027-04-01')
    body = await slack.command("/privacy export")
    assert "rounds-data.json" in json.dumps(body)
    done = await slack.api.wait_for("files.completeUploadExternal")
    dm = slack.api.dm_channel(USER_ID)
    assert done.body["channel_id"] == dm
    # The three steps of the v2 flow, in order, then the message that names the file.
    methods = [c.method for c in slack.api.calls()]
    steps = ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    assert [methods.index(m) for m in steps] == sorted(methods.index(m) for m in steps)
    await slack.api.wait_for(  # after the member's welcome, the message naming the file
        "chat.postMessage", lambda c: c.body["channel"] == dm and "Welcome" not in c.body["text"]
    )
    posted = [i for i, c in enumerate(slack.api.calls()) if c.method == "chat.postMessage"]
    assert posted[-1] > methods.index("files.completeUploadExternal")
    (sent,) = slack.api.files()
    assert (sent.filename, sent.channel) == ("rounds-data.json", dm)
    assert sent.content is not None and len(sent.content) == sent.length
    data = json.loads(sent.content)
    assert (data["member"], data["community"]) == (USER_ID, community())
    tables = data["tables"]
    assert [c["name"] for c in tables["contacts"]] == ["Dr Ada Okafor"]
    assert [x["writer"] for x in tables["letters"]] == ["Dr Ada Okafor"]
    assert OTHER not in sent.content.decode() and "Dr Not Yours" not in sent.content.decode()
    assert all(r.get("member_id") in (None, USER_ID) for rows in tables.values() for r in rows)


async def test_mentor_export_csv_is_uploaded_to_the_organisers_dm(slack: Slack) -> None:
    await open_round_with_a_pair(slack.rounds, community(), ADMIN, MENTOR, MENTEE)
    body = await slack.command("/mentor export", user=ADMIN)
    assert body in (None, "", {})  # nothing in the channel: it all goes to the DM
    done = await slack.api.wait_for("files.completeUploadExternal")
    assert done.body["channel_id"] == slack.api.dm_channel(ADMIN)
    (sent,) = slack.api.files()
    assert sent.filename == "mentoring-round-1.csv" and sent.content is not None
    rows = list(csv.DictReader(io.StringIO(sent.content.decode())))
    assert [(r["mentee"], r["mentor"], r["status"]) for r in rows] == [(MENTEE, MENTOR, "preview")]
    text = await slack.api.wait_for("chat.postMessage", lambda c: c.body["channel"] == sent.channel)
    assert "mentoring-round-1.csv" in json.dumps(text.body)


def test_the_manifest_asks_for_files_write() -> None:
    assert "files:write" in manifest()["oauth_config"]["scopes"]["bot"]


async def test_an_export_to_closed_dms_says_so_and_sends_nothing(slack: Slack) -> None:
    """The answer is true: when Slack refuses the member's DM, /privacy export says
    so instead of "sending", uploads nothing and posts nothing in any channel."""
    admin = Actor(community(), ADMIN, "admin", True)
    assert not (await slack.rounds.run_line(admin, "/admin set groups-channel C0GROUPS")).error
    await slack.answered('/contact add "Dr Ada Okafor"', "Dr Ada Okafor")
    await slack.api.wait_for("chat.postMessage")  # the first visit's welcome, after the answer
    slack.api.fail_dm(USER_ID)
    mark = slack.mark()
    answer = await slack.answered("/privacy export", "closed to me")
    assert "sending your data" not in answer
    assert slack.api.files() == []
    assert [c for c in slack.api.calls()[mark:] if c.method == "chat.postMessage"] == []
