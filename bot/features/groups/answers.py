"""The check-in form: built from the content pack and last week's commitments,
and its answers checked and cleaned before anything is stored."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.errors import UserError
from bot.features.groups.content import CheckinSection
from bot.responses import Choice, Form, FormField
from bot.text import clean_text, shorten

# Choice fields when last week's commitments fit beside win, blocker and next
# (Discord shows at most 5 inputs); otherwise one field with a status per line.
MAX_CHOICE_FIELDS = 2
_SPLIT = re.compile(r"\s*(?:\n|;)\s*")


@dataclass(frozen=True)
class Answers:
    review: list[dict[str, str]]
    win: str
    blocker: str
    commitments: list[str]


def build_form(
    section: CheckinSection,
    group_id: int,
    week: date,
    last: list[str],
    current: Answers | None,
    suggested: Sequence[str] = (),
) -> Form:
    """The form; `suggested` commitments (from other features) show as the
    placeholder of "next", so nothing is committed without the member typing it."""
    q = section.questions
    fields: list[FormField] = []
    previous = {r["text"]: r["status"] for r in current.review} if current else {}
    if 0 < len(last) <= MAX_CHOICE_FIELDS:
        choices = tuple(Choice(s.id, s.label) for s in section.statuses)
        for i, text in enumerate(last, 1):
            label = shorten(f"{q.status_choice.format(n=i)}: {text}", 45)
            fields.append(
                FormField(f"s{i}", label, "choice", default=previous.get(text, ""), choices=choices)
            )
    elif last:
        default = "; ".join(previous.get(t, "") for t in last) if previous else ""
        fields.append(
            FormField(
                "last",
                q.status_lines,
                "paragraph",
                max_length=200,
                default=default,
                placeholder=q.status_placeholder,
            )
        )
    limit = section.limits.answer_max_length
    fields += [
        FormField(
            "win",
            q.win,
            "paragraph",
            required=False,
            max_length=limit,
            default=current.win if current else "",
            placeholder=q.win_placeholder,
        ),
        FormField(
            "blocker",
            q.blocker,
            "paragraph",
            required=False,
            max_length=limit,
            default=current.blocker if current else "",
            placeholder=q.blocker_placeholder,
        ),
        FormField(
            "next",
            q.next_label(week),
            "paragraph",
            max_length=section.limits.max_commitments * (section.limits.commitment_max_length + 1),
            default="\n".join(current.commitments) if current else "",
            placeholder=shorten((list(suggested) or section.examples(week, 1))[0], 100),
        ),
    ]
    return Form(
        title=q.form_title,
        submit=f"checkin save group={group_id} week={week.isoformat()}",
        fields=tuple(fields),
        submit_label="Check in",
    )


def parse_answers(
    section: CheckinSection, week: date, last: list[str], options: dict[str, str]
) -> Answers:
    """Check every answer (nothing is stored when one is wrong)."""
    words = ", ".join(s.label.lower() for s in section.statuses)
    statuses: list[str] = []
    if 0 < len(last) <= MAX_CHOICE_FIELDS and not options.get("last"):
        raw = [options.get(f"s{i}", "") for i in range(1, len(last) + 1)]
    else:
        raw = [p for p in _SPLIT.split(options.get("last", "").strip()) if p] if last else []
        if last and len(raw) != len(last):
            raise UserError(
                f"Please give one status for each of last week's {len(last)} commitments, "
                f"in order, separated by ';' or new lines ({words}). You gave {len(raw)}."
            )
    for i, word in enumerate(raw, 1):
        if not word.strip():
            raise UserError(f"Please choose a status for last week's commitment {i} ({words}).")
        head = re.split(r"\s+[-:=]\s+|[:=]", word, maxsplit=1)[0]
        status = section.status(head)
        if status is None:
            raise UserError(
                f"'{shorten(word, 40)}' (commitment {i}) is not a status I know. "
                f"Use one of: {words}."
            )
        statuses.append(status.id)
    limits = section.limits
    win = clean_text(
        options.get("win", ""),
        field="your win",
        max_length=limits.answer_max_length,
        required=False,
    )
    blocker = clean_text(
        options.get("blocker", ""),
        field="your blocker",
        max_length=limits.answer_max_length,
        required=False,
    )
    items = [p for p in _SPLIT.split(options.get("next", "").strip()) if p]
    if not items:
        raise UserError(
            f"Please give 1 to {limits.max_commitments} commitments for next week "
            f"(one per line, or separated by ';'), e.g. '{section.examples(week, 1)[0]}'."
        )
    if len(items) > limits.max_commitments:
        raise UserError(
            f"That is {len(items)} commitments; pick at most {limits.max_commitments} "
            "you can really keep this week."
        )
    commitments = [
        clean_text(t, field=f"commitment {i}", max_length=limits.commitment_max_length)
        for i, t in enumerate(items, 1)
    ]
    review = [{"text": t, "status": s} for t, s in zip(last, statuses, strict=True)]
    return Answers(review, win, blocker, commitments)
