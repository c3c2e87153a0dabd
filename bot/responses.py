"""The platform-neutral response model that every adapter renders.

Text uses light formatting: **bold**, _italic_, `code` and "- " bullet lines.
A button or a form names the command line it runs, so a press or a submission
goes through the same parser and permission checks as a typed command.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ButtonStyle = Literal["primary", "secondary", "danger"]
FieldKind = Literal["short", "paragraph", "choice", "number"]


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


@dataclass(frozen=True)
class Post:
    """A message sent somewhere other than the reply; `key` makes sending idempotent.
    `mention` is the one member a post may ping (the closed-DM notice, bot.delivery)."""

    to: Target
    message: Response
    key: str | None = None
    mention: str | None = None


def error(text: str) -> Response:
    return Response(text=text, ephemeral=True, error=True)
