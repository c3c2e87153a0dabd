"""Splitting `/contact add Dr Sam Lee IR fellow Emory` without quotes.

Commas make the split certain ("Dr Sam Lee, IR fellow, Emory"); so does a line
with no role or institution word in it (all of it is the name). Otherwise the
split is a guess, offered in the contact form for the member to correct:
nothing is stored until they submit it. On Discord the words come in the name
box and are read the same way. Role and institution words come from the pack
(content/), the same lists the update nudges use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.features.contacts.rules import ContactRules

_STRUCTURED = re.compile(r"[\"“”]|(?:^|\s)[a-z][a-z0-9_-]*=")
_TITLES = {"dr", "dr.", "prof", "prof.", "professor", "mr", "mrs", "ms", "mx", "sir"}
MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Split:
    name: str
    role: str = ""
    institution: str = ""
    where: str = ""
    certain: bool = True


def free_words(raw: str, sub: str) -> str | None:
    """The words typed after the subcommand, when they have no quotes or key=value
    (then the command parser's positional reading holds); else None."""
    first, _, rest = raw.strip().partition(" ")
    if first.lower() != sub or not rest.strip() or _STRUCTURED.search(rest):
        return None
    return " ".join(rest.split())


def boxed_words(options: Mapping[str, str]) -> str | None:
    """The words in a name box filled on its own (Discord's options, where a member
    types the whole line into the first box), read like words typed on the line;
    None when any other box was given (a form sends every one of its fields)."""
    if options.keys() & {"role", "institution", "where"} or _STRUCTURED.search(
        options.get("name", "")
    ):
        return None
    return " ".join(options.get("name", "").split()) or None


def split(words: str, rules: ContactRules, known: list[str]) -> Split:
    """Name, role, institution (and where) from plain words."""
    parts = [p.strip() for p in words.split(",")]
    if len(parts) > 1 and all(parts) and len(parts) <= 4:
        name, role, institution, where = [*parts, "", "", ""][:4]
        return Split(name, role, institution, where, certain=True)
    for name in sorted(known, key=len, reverse=True):  # a contact they already have
        if words.lower() == name.lower():
            return Split(name)
        if words.lower().startswith(name.lower() + " "):
            return _guess_rest(name, words[len(name) :].strip(), rules)
    tokens = words.split()
    marked = [i for i, t in enumerate(tokens) if _is_marker(tokens, i, rules)]
    if not marked and len(tokens) <= MAX_NAME_WORDS:
        return Split(words)
    cut = _name_length(tokens)
    return _guess_rest(" ".join(tokens[:cut]), " ".join(tokens[cut:]), rules)


def _is_marker(tokens: list[str], i: int, rules: ContactRules) -> bool:
    word = tokens[i].lower().strip(".,")
    pair = f"{word} {tokens[i + 1].lower()}" if i + 1 < len(tokens) else ""
    roles = {r.lower() for r in (*rules.mentor_roles, *rules.peer_roles, *rules.role_words)}
    return word in roles or pair in roles or word in rules.institution_words


def _name_length(tokens: list[str]) -> int:
    """Titles, then up to three capitalised words that are not all capitals (IR, PGY2)."""
    i = 0
    while i < len(tokens) and tokens[i].lower() in _TITLES:
        i += 1
    start = i
    while i < len(tokens) and i - start < 3 and tokens[i][:1].isupper() and not tokens[i].isupper():
        i += 1
    return max(i, 1)


def _guess_rest(name: str, rest: str, rules: ContactRules) -> Split:
    if not rest:
        return Split(name, certain=True)
    tokens = rest.split()
    inst_at = next((i for i, t in enumerate(tokens) if t.lower() in rules.institution_words), None)
    roles = [i for i, t in enumerate(tokens) if _is_marker(tokens, i, rules)]
    role_end = max((i for i in roles if inst_at is None or i < inst_at), default=-1) + 1
    if inst_at is not None and role_end > inst_at:
        role_end = inst_at
    role, institution = " ".join(tokens[:role_end]), " ".join(tokens[role_end:])
    return Split(name, role, institution, certain=False)
