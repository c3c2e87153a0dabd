"""Reading what a member types for a project: its kind, role, stage, venue and
collaborators, each checked against the pack; a wrong one is a clear refusal."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import Pack
from bot.errors import UserError
from bot.features.contacts import store as contacts
from bot.features.research.content import ResearchSection, research_rules
from bot.features.research.store import Collaborator
from bot.text import clean_text

Msg = Callable[..., str]
VENUE_MAX = 120
TITLE_MAX = 300
AUTHORS_MAX = 500
NAME_MAX = 120
MAX_COLLABORATORS = 12
_CONTACT = re.compile(r"^#(\d{1,18})$")
_TRAILING = re.compile(r"\s+([a-z]+)=(\"[^\"]*\"|'[^']*'|\S+)\s*$")


def trailing_options(title: str, names: set[str]) -> tuple[str, dict[str, str]]:
    """Options typed after a title ("... trauma venue=SIR") taken off its end."""
    found: dict[str, str] = {}
    while (m := _TRAILING.search(title)) and m.group(1) in names and m.group(1) not in found:
        found[m.group(1)] = m.group(2).strip("\"'")
        title = title[: m.start()]
    return title, found


def _key(text: str) -> str:
    return " ".join(text.lower().replace("_", "-").split())


def leading_kind(sec: ResearchSection, first: str, rest: str) -> tuple[str, str]:
    """A kind typed in words ("case report Rare IVC filter fracture"): the kind's
    words and the title after them. When no kind of up to four words leads, the
    first word as it came (for `kind` to refuse) and the rest."""
    words = [first, *rest.split()]
    for n in range(min(4, len(words)), 1, -1):
        said = _key(" ".join(words[:n]))
        if any(said in (k.id.replace("-", " "), k.label.lower()) for k in sec.kinds):
            return said, rest.split(maxsplit=n - 1)[n - 1] if len(words) > n else ""
    return first, rest


def kind(sec: ResearchSection, given: str, msg: Msg) -> str:
    wanted = _key(given)
    for k in sec.kinds:
        if wanted in (k.id, k.id.replace("-", " "), k.label.lower()):
            return k.id
    raise UserError(
        msg(
            "research_bad_kind",
            given=clean_text(given[:40], field="kind", max_length=40),
            kinds=", ".join(k.id for k in sec.kinds),
        )
    )


def role(sec: ResearchSection, given: str, msg: Msg) -> str:
    wanted = _key(given)
    if not wanted:
        return sec.roles[0].id
    for r in sec.roles:
        if wanted in (r.id, r.label.lower()):
            return r.id
    raise UserError(
        msg(
            "research_bad_role",
            given=clean_text(given[:40], field="role", max_length=40),
            roles=", ".join(r.id for r in sec.roles),
        )
    )


def stage(sec: ResearchSection, kind_id: str, given: str, msg: Msg) -> str:
    """A stage on the kind's ladder, by id or label."""
    ladder = sec.ladder(kind_id)
    kind = sec.kind(kind_id)
    wanted = _key(given)
    for s in ladder:
        if wanted in (s, sec.stage(s).label.lower()):
            return s
    raise UserError(
        msg(
            "research_bad_stage",
            given=clean_text(given[:40], field="stage", max_length=40),
            kind=(kind.label if kind else kind_id).lower(),
            stages=" → ".join(ladder),
        )
    )


def venue(pack: Pack, given: str) -> tuple[str, str | None]:
    """(how the venue reads, its id) for a pack journal or meeting; typed text otherwise."""
    text = clean_text(given, field="the venue", max_length=VENUE_MAX, required=False)
    wanted = _key(text)
    if not wanted:
        return "", None
    for j in research_rules(pack).journals:
        if wanted in (j.id, j.short.lower(), j.name.lower()):
            return j.short, j.id
    for m in pack.meetings:
        if wanted in (m.id, m.short.lower(), m.name.lower()):
            return m.short, m.id
    return text, None


def yes_no(given: str, default: bool, msg: Msg) -> bool:
    wanted = _key(given)
    if not wanted:
        return default
    if wanted in ("yes", "y", "true", "on"):
        return True
    if wanted in ("no", "n", "false", "off"):
        return False
    raise UserError(msg("research_bad_related"))


async def collaborators(
    conn: AsyncConnection, community_id: str, member_id: str, given: str, msg: Msg
) -> list[Collaborator]:
    """Contacts (`#3`, or a contact's exact name) or plain names, comma-separated."""
    out: list[Collaborator] = []
    for part in (p.strip() for p in re.split(r"[,;\n]", given)):
        if not part:
            continue
        m = _CONTACT.match(part)
        if m:
            found = await contacts.get(conn, community_id, member_id, int(m.group(1)))
            if found is None:
                raise UserError(msg("research_unknown_contact", id=m.group(1)))
            person = Collaborator(found.name, found.id)
        else:
            name = clean_text(part, field="a collaborator's name", max_length=NAME_MAX)
            known = await contacts.named(conn, community_id, member_id, name)
            person = Collaborator(known.name, known.id) if known else Collaborator(name)
        if person not in out:
            out.append(person)
    if len(out) > MAX_COLLABORATORS:
        raise UserError(msg("research_too_many_collaborators", n=MAX_COLLABORATORS))
    return out
