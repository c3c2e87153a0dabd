"""The platform-neutral response model that every adapter renders.

Text uses light formatting: **bold**, _italic_, `code` and "- " bullet lines.
A button or a form names the command line it runs, so a press or a submission
goes through the same parser and permission checks as a typed command.

Times are instants: `str(Moment(...))` goes into text or a field value as a
marker that each adapter renders for its reader (the console in the reader's
zone, Discord as <t:...>, Slack as <!date^...>); `Moment.fallback` is how the
core wrote it in the zone it knew, for places that cannot show a local time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

ButtonStyle = Literal["primary", "secondary", "danger"]
FieldKind = Literal["short", "paragraph", "choice", "number"]
MomentStyle = Literal["datetime", "date", "time"]
_MOMENT = re.compile(r"\u27e6when:(-?\d{1,12}):(datetime|date|time)\|([^\u27e6\u27e7]*)\u27e7")


@dataclass(frozen=True)
class Moment:
    """An instant, shown to every reader in their own zone. Put `str(moment)` (or
    the moment itself in an f-string) in text or a field value."""

    at: datetime
    style: MomentStyle = "datetime"
    fallback: str = ""

    def __str__(self) -> str:
        shown = re.sub("[\u27e6\u27e7|]", "", self.fallback)
        return f"\u27e6when:{int(self.at.timestamp())}:{self.style}|{shown}\u27e7"

    def __format__(self, spec: str) -> str:
        return str(self)

    @property
    def unix(self) -> int:
        return int(self.at.timestamp())

    def local(self, zone: str) -> str:
        """'Wed 6 Jan 21:00 JST' (or the date, or the time) in `zone`."""
        t = self.at.astimezone(ZoneInfo(zone))
        if self.style == "date":
            return f"{t:%a} {t.day} {t:%b %Y}"
        if self.style == "time":
            return f"{t:%H:%M %Z}"
        return f"{t:%a} {t.day} {t:%b %H:%M %Z}"


def render_moments(text: str, show: Callable[[Moment], str]) -> str:
    """`text` with each moment replaced by `show(moment)`."""
    return _MOMENT.sub(lambda m: show(_moment(m)), text) if "\u27e6" in text else text


def plain_moments(text: str) -> str:
    """`text` with each moment as its fallback (titles, labels, notifications)."""
    return render_moments(text, lambda m: m.fallback)


def _moment(m: re.Match[str]) -> Moment:
    style: MomentStyle = m.group(2)  # type: ignore[assignment]
    return Moment(datetime.fromtimestamp(int(m.group(1)), UTC), style, m.group(3))


@dataclass(frozen=True)
class Field:
    """A labelled value shown beside the text (an embed field, a Block Kit field)."""

    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class Button:
    """A button that runs `action` (a command line such as "pitch-review review 12")."""

    label: str
    action: str
    style: ButtonStyle = "secondary"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    """One input of a form; adapters map it to a text input or a select."""

    key: str
    label: str
    kind: FieldKind = "short"
    required: bool = True
    max_length: int = 200
    default: str = ""
    placeholder: str = ""
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Form:
    """A modal. On submit the adapter runs `submit` with each field as `key=value`."""

    title: str
    submit: str
    fields: tuple[FormField, ...]
    submit_label: str = "Submit"
    intro: str = ""  # shown above the fields where the platform's forms allow text


@dataclass(frozen=True)
class File:
    """A file that travels with a message (an export): Slack uploads it, Discord
    attaches it, the console writes it to a path it prints."""

    name: str
    media_type: str
    content: bytes


def _jsonable(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """asdict's factory: a file's bytes become their size (JSON holds no bytes)."""
    return {
        ("size" if isinstance(v, bytes) else k): (len(v) if isinstance(v, bytes) else v)
        for k, v in pairs
    }


@dataclass(frozen=True)
class Target:
    """Where a message goes: a member's DMs, or a channel (optionally a thread in it)."""

    community_id: str
    member_id: str | None = None
    channel_id: str | None = None
    thread: str | None = None


@dataclass(frozen=True)
class Response:
    """What a command answers. `ephemeral` replies are seen by the invoker only;
    `dm` sends the reply to the invoker's direct messages; `also` carries other
    messages the command sends (channel posts, DMs to other members); `file`
    is attached to the message."""

    text: str = ""
    title: str | None = None
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()
    form: Form | None = None
    ephemeral: bool = True
    dm: bool = False
    error: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    also: tuple[Post, ...] = ()
    file: File | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view, used by the console's --json output and by tests
        (a file shows its name, media type and size)."""
        return asdict(self, dict_factory=_jsonable)

    def localised(self, show: Callable[[Moment], str]) -> Response:
        """This response with the moments in its text and fields rendered by `show`,
        and as fallbacks where no adapter can render them (title, button labels)."""
        return replace(
            self,
            text=render_moments(self.text, show),
            title=plain_moments(self.title) if self.title else self.title,
            fields=tuple(
                Field(plain_moments(f.name), render_moments(f.value, show), f.inline)
                for f in self.fields
            ),
            buttons=tuple(replace(b, label=plain_moments(b.label)) for b in self.buttons),
        )


@dataclass(frozen=True)
class Post:
    """A message sent somewhere other than the reply; `key` makes sending idempotent.
    `mention` is the one member a post may ping (the closed-DM notice, bot.delivery).
    An `aside` (the first visit's welcome) is not what the reply speaks of: if it
    cannot be delivered, the reply stands."""

    to: Target
    message: Response
    key: str | None = None
    mention: str | None = None
    aside: bool = False


def error(text: str) -> Response:
    return Response(text=text, ephemeral=True, error=True)
