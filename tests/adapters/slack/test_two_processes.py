"""Two Rounds processes on one PostgreSQL behind a round-robin proxy (the load
balancer): a Slack request and its retry reach different processes, and the
command runs once, because the request's key is claimed in the database. Real
processes (bench.slack_apps), the fake Web API in this one."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bench.proxy import round_robin
from bench.slack_apps import SECRET, start
from bot.scheduling.tables import jobs
from tests.conftest import _postgres
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import post, retry_headers, sign, slash_command


async def test_a_retry_that_reaches_the_other_process_runs_once(pg_url: str) -> None:
    db = await _postgres(pg_url)
    async with FakeSlackAPI() as api:
        procs = [await start("rounds", pg_url, api.url, within=60) for _ in range(2)]
        try:
            async with round_robin([u for _, u in procs]) as url:
                body = slash_command("/rounds-remind", "me in 2 hours to email Dr Lee")
                first = await post(url, body, sign(body, SECRET))
                retried = await post(url, body, sign(body, SECRET) | retry_headers(1))
                other = slash_command("/rounds-remind", "me in 3 hours to call Sam")
                second = await post(url, other, sign(other, SECRET))
        finally:
            for proc, _ in procs:
                await asyncio.wait_for(proc.communicate(b""), 30)
    assert first.status == retried.status == second.status == 200
    assert "email Dr Lee" in first.text and retried.text == ""
    async with db.connect() as conn:
        texts = (await conn.execute(select(jobs.c.payload["text"].as_string()))).scalars()
        assert sorted(texts) == ["call Sam", "email Dr Lee"]
        assert (await conn.execute(select(func.count()).select_from(jobs))).scalar_one() == 2
    await db.close()
