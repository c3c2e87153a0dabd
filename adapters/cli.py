"""The `rounds` command: run, console, migrate, discord sync|invite, check-content."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.extras import missing_extra
from bot.bootstrap import build
from bot.clock import FakeClock
from bot.config import ConfigError, Settings, load_settings
from bot.content import CONTENT_DIR, ContentError, load_content
from bot.logs import setup_logging
from bot.scheduling.dispatcher import Dispatcher, Policy
from bot.scheduling.service import Scheduler
from bot.storage.db import DatabaseUnreachable
from bot.storage.single import AlreadyRunning, hold_sqlite


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rounds", description="Rounds community bot")
    sub = p.add_subparsers(dest="cmd")
    sub.add_parser("run", help="start every configured adapter (console when none is)")
    c = sub.add_parser("console", help="talk to the bot in this terminal")
    c.add_argument("--as", dest="member", default="you", help="member name to act as")
    c.add_argument("--community", default="demo", help="community (tenant) name")
    c.add_argument("--json", action="store_true", help="one JSON object per response")
    c.add_argument(
        "--clock",
        default=None,
        metavar="ISO",
        help="start a fake clock at this time; move it with :advance 1d / :at ISO",
    )
    c.add_argument(
        "--organisers",
        default="",
        help="comma-separated members treated as organisers (the --as member always is)",
    )
    sub.add_parser("migrate", help="apply database migrations")
    d = sub.add_parser("discord", help="Discord tools")
    dsub = d.add_subparsers(dest="discord_cmd", required=True)
    ds = dsub.add_parser("sync", help="register the slash commands with Discord")
    ds.add_argument("--guild", default=None, help="a guild id (instant) instead of global")
    di = dsub.add_parser("invite", help="print the URL that adds the bot to a server")
    di.add_argument(
        "--client-id", default=None, help="the application id (else asked of DISCORD_TOKEN)"
    )
    cc = sub.add_parser("check-content", help="validate a content directory")
    cc.add_argument("directory", nargs="?", default=str(CONTENT_DIR))
    return p


async def _console(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.console.app import Console
    from adapters.console.loop import run_console

    clock = None
    if args.clock:
        try:
            start = datetime.fromisoformat(args.clock)
        except ValueError:
            print(
                f"--clock: '{args.clock}' is not an ISO time like 2027-01-04T09:00+00:00",
                file=sys.stderr,
            )
            return 2
        clock = FakeClock(start if start.tzinfo else start.replace(tzinfo=UTC))
    rounds = await build(settings, clock=clock)
    console = Console(
        rounds,
        member=args.member,
        community=args.community,
        organisers=[o for o in args.organisers.split(",") if o],
        as_json=args.json,
    )
    scheduler = None if clock else Scheduler(console.dispatcher)
    from adapters.web.serve import serve as serve_web

    site = asyncio.create_task(serve_web(rounds, settings))
    try:
        if scheduler:
            scheduler.start()
        await run_console(console)
    finally:
        site.cancel()
        await asyncio.gather(site, return_exceptions=True)
        if scheduler:
            await scheduler.stop()
        await rounds.db.close()
    return 0


async def _run(settings: Settings) -> int:
    """Start every adapter whose tokens are set, and the scheduler; or the console."""
    if not (settings.slack_enabled or settings.discord_enabled):
        if not sys.stdin.isatty():  # a service (compose, systemd): nothing to talk to
            print(
                "No DISCORD_TOKEN or SLACK_BOT_TOKEN is set, so there is nothing to connect "
                "to: put them in .env (see .env.example), or try `rounds console`.",
                file=sys.stderr,
            )
            return 0
        print(
            "No Discord or Slack tokens set: starting the console adapter on "
            f"{settings.database_url.split('://')[0]}. Type /help.",
            file=sys.stderr,
        )
        ns = argparse.Namespace(
            member="you", community="demo", organisers="", json=False, clock=None
        )
        return await _console(settings, ns)
    from adapters.web.serve import serve as serve_web

    rounds = await build(settings)
    servers = [serve_web(rounds, settings)]
    if settings.discord_enabled:
        from adapters.discord.app import serve as serve_discord

        servers.append(serve_discord(rounds, settings))
    if settings.slack_enabled:
        from adapters.slack.app import serve as serve_slack

        servers.append(serve_slack(rounds, settings))
    policy = Policy(keep_done=timedelta(days=rounds.retention_days))
    scheduler = Scheduler(Dispatcher(rounds, rounds.outbox, policy))
    scheduler.start()
    try:
        await asyncio.gather(*servers)
    finally:
        await scheduler.stop()
        await rounds.db.close()
    return 0


async def _discord_sync(settings: Settings, guild: str | None) -> int:
    from adapters.discord.sync import sync_commands

    if not settings.discord_token:
        print("Configuration error: DISCORD_TOKEN is not set.", file=sys.stderr)
        return 2
    rounds = await build(settings)
    try:
        return await sync_commands(rounds, settings, guild)
    finally:
        await rounds.db.close()


async def _discord_invite(settings: Settings, client_id: str | None) -> int:
    from adapters.discord.invite import application_id, invite_url

    if client_id is None and not settings.discord_token:
        print(
            "Configuration error: give --client-id (the application id on the developer "
            "portal's General Information page) or set DISCORD_TOKEN.",
            file=sys.stderr,
        )
        return 2
    if client_id is not None and not client_id.isdigit():
        print(f"--client-id: '{client_id[:40]}' is not an application id.", file=sys.stderr)
        return 2
    app = int(client_id) if client_id else await application_id(settings)
    print(invite_url(app))
    return 0


async def _migrate(settings: Settings) -> int:
    rounds = await build(settings)
    await rounds.db.close()
    print("Database is up to date.")
    return 0


def _check_content(directory: str) -> int:
    try:
        content = load_content(Path(directory))
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"OK: {len(content.packs)} pack(s): {', '.join(content.packs)}")
    return 0


def run_fast(main: Coroutine[Any, Any, int]) -> int:
    """Run the bot on uvloop when it is installed (the `fast` extra: less CPU per
    request), else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    cmd = args.cmd or "run"
    if cmd == "check-content":
        return _check_content(args.directory)
    try:
        settings = load_settings()
        setup_logging(
            settings.log_level,
            secrets=(
                settings.discord_token,
                settings.slack_bot_token,
                settings.slack_app_token,
                settings.slack_signing_secret,
                settings.web_secret,
                settings.smtp_url,
            ),
        )
        problem = missing_extra(settings, cmd)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        if cmd == "run" or (cmd == "console" and not args.clock):  # these run a scheduler
            lock = hold_sqlite(settings.database_url)  # noqa: F841 (held while we run)
        if cmd == "console":
            try:
                return asyncio.run(_console(settings, args))
            except KeyboardInterrupt:  # Ctrl-C at the prompt ends the session, quietly
                print()
                return 0
        if cmd == "migrate":
            return asyncio.run(_migrate(settings))
        if cmd == "discord" and args.discord_cmd == "invite":
            return asyncio.run(_discord_invite(settings, args.client_id))
        if cmd == "discord":
            return asyncio.run(_discord_sync(settings, args.guild))
        return run_fast(_run(settings))
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except AlreadyRunning as exc:
        print(exc, file=sys.stderr)
        return 2
    except DatabaseUnreachable as exc:
        print(f"Database error: {exc}; check ROUNDS_DATABASE_URL.", file=sys.stderr)
        return 2
    except ContentError as exc:
        print("Content error (fix these files and start again):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
