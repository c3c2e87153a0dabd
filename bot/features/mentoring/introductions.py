"""What members see of each other: a sign-up rendered as a profile, the
introduction both sides of a new pair receive (with suggested first
questions and accept / decline buttons), and the follow-up messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.content import Content, Pack
from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.scoring import EXPERIENCED, IMG, Person, hours_apart, offset_hours
from bot.features.mentoring.store import MENTEE, MENTOR
from bot.responses import Button, Field, Post, Response, Target

Msg = Callable[..., str]


@dataclass
class Memo:
    """What a publish's thousands of introductions have in common, worked out once:
    the texts that take no values (labels, buttons), each person's profile (a
    mentor has up to five new pairs) and the first questions for a mix of kinds."""

    texts: dict[str, str] = field(default_factory=dict)
    profiles: dict[tuple[Person, str, str], tuple[Field, ...]] = field(default_factory=dict)
    questions: dict[tuple[frozenset[str], frozenset[str], str], list[str]] = field(
        default_factory=dict
    )

    def msg(self, msg: Msg) -> Msg:
        """`msg`, remembering each text that takes no values."""
        texts = self.texts

        def text(key: str, **values: object) -> str:
            if values:
                return msg(key, **values)
            got = texts.get(key)
            if got is None:
                got = texts[key] = msg(key)
            return got

        return text


def section(content: Content, pack_id: str) -> tuple[Pack, MentoringSection]:
    pack = content.pack(pack_id)
    return pack, pack.section("mentoring", MentoringSection)


def max_points(sec: MentoringSection) -> int:
    w = sec.scoring.weights
    return round((w.focus + w.kind + w.stage + w.img + w.timezone + w.language) * 100)


def fit_percent(points: int, sec: MentoringSection) -> float:
    top = max_points(sec)
    return round(100 * points / top, 1) if top else 0.0


def img_label(value: str, role: str, msg: Msg) -> str:
    if value == IMG:
        return msg("mentoring_img_is")
    if value == EXPERIENCED:
        return msg("mentoring_img_experienced")
    return msg("mentoring_img_none_mentor" if role == MENTOR else "mentoring_img_none_mentee")


def _visa_fields(person: Person, role: str, msg: Msg) -> list[Field]:
    """What a sign-up says of background and visas, where it says anything."""

    def visas(items: frozenset[str]) -> str:
        return ", ".join(msg(f"mentoring_visa_{v}") for v in sorted(items))

    out = []
    if person.background:
        label = msg("background_" + person.background.replace("-", "_"))
        out.append(Field(msg("mentoring_field_background"), label, True))
    if role == MENTEE and person.visa:
        out.append(Field(msg("mentoring_field_visa"), msg(f"mentoring_visa_{person.visa}"), True))
    if person.visa_help:
        out.append(Field(msg("mentoring_field_visa_help"), visas(person.visa_help), True))
    if person.sponsors:
        out.append(Field(msg("mentoring_field_sponsors"), visas(person.sponsors), True))
    return out


def profile_fields(
    person: Person, role: str, pack: Pack, sec: MentoringSection, msg: Msg
) -> tuple[Field, ...]:
    """A sign-up as labelled fields (no member ids, only what they chose to share)."""
    stage = sec.stage(person.stage)
    kinds = ", ".join(k.label for k in sec.kinds if k.id in person.kinds) or "-"
    focus = ", ".join(f.label for f in pack.focus_areas if f.id in person.focus) or "-"
    langs = ", ".join(sorted(lang.title() for lang in person.languages)) or "-"
    fields = [
        Field(msg("mentoring_field_stage"), stage.label if stage else "-", True),
        Field(msg("mentoring_field_pack"), pack.name, True),
        Field(msg("mentoring_field_zone"), person.timezone, True),
        Field(msg(f"mentoring_field_kinds_{role}"), kinds),
        Field(msg("mentoring_field_focus"), focus),
        Field(msg("mentoring_field_img"), img_label(person.img, role, msg), True),
        Field(msg("mentoring_field_languages"), langs, True),
    ]
    fields += _visa_fields(person, role, msg)
    if role == MENTOR:
        fields.append(Field(msg("mentoring_field_capacity"), str(person.capacity), True))
    if person.goal:
        fields.append(Field(msg(f"mentoring_field_goal_{role}"), person.goal))
    return tuple(fields)


def first_questions(mentor: Person, mentee: Person, sec: MentoringSection) -> list[str]:
    """Questions for the first meeting: those for the kinds the mentee seeks and
    the mentor offers first, then general ones, in the pack's order."""
    wanted = mentee.kinds & mentor.kinds or mentee.kinds
    specific = [q.text for q in sec.first_questions if set(q.kinds) & wanted]
    general = [q.text for q in sec.first_questions if not q.kinds]
    picked: list[str] = []
    for text in specific[:2] + general + specific[2:]:
        if text not in picked:
            picked.append(text)
    return picked[: sec.questions_per_pair]


def introductions(
    community_id: str,
    pair_id: int,
    mentor: Person,
    mentee: Person,
    why: str,
    pack: Pack,
    sec: MentoringSection,
    msg: Msg,
    now: datetime,
    *,
    rematch: bool = False,
    memo: Memo | None = None,
) -> tuple[Post, Post]:
    """The DM each side of a new pair receives. Many pairs at once share a `memo`."""
    memo = memo or Memo()
    msg = memo.msg(msg)
    asked = (mentee.kinds, mentor.kinds, pack.id)
    questions = memo.questions.get(asked)
    if questions is None:
        questions = memo.questions[asked] = first_questions(mentor, mentee, sec)
    bullets = "\n".join(f"- {q}" for q in questions)
    hours = hours_apart(offset_hours(mentor.timezone, now), offset_hours(mentee.timezone, now))
    posts = []
    for me, other, role, other_role in (
        (mentee, mentor, MENTEE, MENTOR),
        (mentor, mentee, MENTOR, MENTEE),
    ):
        lead = msg(
            f"mentoring_intro_{role}" + ("_rematch" if rematch else ""),
            name=other.name,
            why=why,
        )
        ask = msg(f"mentoring_intro_next_{role}", name=other.name, hours=_hours(hours, msg))
        text = f"{lead}\n\n{ask}\n\n**{msg('mentoring_intro_questions')}**\n{bullets}"
        profile = memo.profiles.get((other, other_role, pack.id))
        if profile is None:
            profile = profile_fields(other, other_role, pack, sec, msg)
            memo.profiles[(other, other_role, pack.id)] = profile
        message = Response(
            title=msg("mentoring_intro_title", name=other.name),
            text=text,
            fields=profile,
            buttons=(
                Button(msg("mentoring_button_accept"), f"{role} accept {pair_id}", "primary"),
                Button(msg("mentoring_button_decline"), f"{role} decline {pair_id}", "danger"),
            ),
            ephemeral=False,
            dm=True,
            data={
                "mentoring_intro": {
                    "pair": pair_id,
                    "role": role,
                    "with": other.member_id,
                    "why": why,
                    "questions": list(questions),
                }
            },
        )
        posts.append(
            Post(
                Target(community_id, member_id=me.member_id),
                message,
                key=f"mentoring:{pair_id}:intro:{role}",
            )
        )
    return posts[0], posts[1]


def _hours(hours: float, msg: Msg) -> str:
    if hours < 0.5:
        return msg("mentoring_same_zone_phrase")
    shown = str(int(hours)) if float(hours).is_integer() else f"{hours:.1f}"
    return msg("mentoring_hours_phrase", hours=shown)


def notice(community_id: str, member_id: str, text: str, key: str, **data: object) -> Post:
    """A plain DM to one side of a pair."""
    return Post(
        Target(community_id, member_id=member_id),
        Response(text=text, ephemeral=False, dm=True, data={"mentoring_notice": data}),
        key=key,
    )
