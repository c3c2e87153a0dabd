"""Files through Slack: a member's /privacy export arrives in their DM as an
uploaded JSON file (files upload v2 against the fake Web API), holding their
rows and nobody else's; the manifest asks for files:write."""

from __future__ import annotations

import json

from adapters.slack.manifest import manifest
from bot.commands import Actor
from tests.adapters.slack.conftest import Slack, community
from tests.fakes.slack_requests import USER_ID

OTHER = "U0SOMEONEELSE"


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
    # The three steps of the v2 flow, in order, and the DM message before the file.
    methods = [c.method for c in slack.api.calls()]
    step1 = methods.index("files.getUploadURLExternal")
    assert methods.index("upload") > step1 and methods.index("files.completeUploadExternal") > step1
    assert any(c.body["channel"] == dm for c in slack.api.calls("chat.postMessage"))
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


def test_the_manifest_asks_for_files_write() -> None:
    assert "files:write" in manifest()["oauth_config"]["scopes"]["bot"]
