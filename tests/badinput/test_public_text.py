"""Public posts over arbitrary member text: whatever a member writes, what the
core sends to a channel on any platform carries no masked link that renders,
no bidi control or zero-width character (but the one that breaks a mention),
and nothing that pings; the neutralising is idempotent."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.delivery import DeliveryRules
from bot.responses import Button, Field, Post, Response, Target
from bot.text import neutralise_public
from tests.badinput.support import EXAMPLES, anything

TRICKS = (
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
RENDERED_LINK = re.compile(r"\[[^\]]*\]\(")
PING = re.compile(r"@(everyone|here|channel)\b|<[@!#]", re.IGNORECASE)
hostile = st.one_of(
    anything,
    st.lists(
        st.one_of(
            anything,
            st.sampled_from(["[", "](", "]", "(", ")", "[x](https://e.example)", "<", "@"]),
            st.sampled_from(list(TRICKS)),
        ),
        max_size=12,
    ).map("".join),
)


def _clean(text: str) -> None:
    assert not RENDERED_LINK.search(text), text
    assert not PING.search(text), text
    for i, c in enumerate(text):
        if c == "\u200b":  # only the mention breaker, right after @ or <
            assert i > 0 and text[i - 1] in "@<", text
        else:
            assert c not in TRICKS, text


@settings(max_examples=EXAMPLES * 10, deadline=None)
@given(text=hostile)
def test_neutralised_text_is_safe_and_stable(text: str) -> None:
    out = neutralise_public(text)
    _clean(out)
    assert neutralise_public(out) == out


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(title=hostile, text=hostile, name=hostile, value=hostile, label=hostile)
def test_every_public_post_is_neutralised(
    title: str, text: str, name: str, value: str, label: str
) -> None:
    message = Response(
        title=title or None,
        text=text,
        fields=(Field(name, value),),
        buttons=(Button(label, "help"),),
        ephemeral=False,
    )
    sent = DeliveryRules.prepare(Post(Target("discord:1", channel_id="2"), message)).message
    for shown in (sent.title or "", sent.text, sent.fields[0].name, sent.fields[0].value):
        _clean(shown)
    _clean(sent.buttons[0].label)
    assert sent.buttons[0].action == "help"
