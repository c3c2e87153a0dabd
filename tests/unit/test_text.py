"""User text never pings anyone, on any platform."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.text import clean_text, neutralise_mentions


@pytest.mark.parametrize(
    "raw",
    [
        "@everyone look",
        "hi @here",
        "<!channel> now",
        "<!subteam^S1> team",
        "<@123> you",
        "<@&456> role",
        "<@!789> nick",
        "<#C1> chan",
        "@Everyone caps",
    ],
)
def test_mentions_are_broken(raw: str) -> None:
    out = neutralise_mentions(raw)
    assert out != raw
    for token in ("@everyone", "@here", "<!", "<@", "<#", "@Everyone"):
        assert token not in out


def test_plain_text_and_emails_untouched() -> None:
    assert neutralise_mentions("write to dr.lee@uni.edu") == "write to dr.lee@uni.edu"


def test_clean_text_limits() -> None:
    assert clean_text("  hi  ", field="note", max_length=5) == "hi"
    with pytest.raises(UserError, match="limit is 5"):
        clean_text("toolong", field="note", max_length=5)
    with pytest.raises(UserError, match="Please give"):
        clean_text("  ", field="note", max_length=5)
