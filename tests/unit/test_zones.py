"""Time zones the way members type them: IANA names, cities, countries, words
from content/zones.yaml; offsets and ambiguous words refused with what they could mean."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.content import CONTENT_DIR, ContentError, load_content
from bot.errors import UserError
from bot.zones import Zone, parse_zone, platform_zone

CONTENT = load_content()
WINTER = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def read(text: str, now: datetime = WINTER) -> Zone:
    return parse_zone(text, CONTENT.zones, now, CONTENT.msg)


def refusal(text: str, now: datetime = WINTER) -> str:
    with pytest.raises(UserError) as info:
        read(text, now)
    return info.value.message


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("America/New_York", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("  ASIA/KOLKATA ", "Asia/Kolkata"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("UTC", "UTC"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),  # in zone.tab, though a link in tzdata
        ("US/Eastern", "America/New_York"),  # old names are stored as the canonical zone
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("Egypt", "Africa/Cairo"),
        ("Etc/UTC", "UTC"),
        ("Cairo", "Africa/Cairo"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("kolkata", "Asia/Kolkata"),
        ("calcutta", "Asia/Kolkata"),
        ("kiev", "Europe/Kyiv"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("karachi", "Asia/Karachi"),
        ("lagos", "Africa/Lagos"),
        ("Mumbai", "Asia/Kolkata"),
        ("Delhi", "Asia/Kolkata"),
        ("bangalore", "Asia/Kolkata"),
        ("Lahore", "Asia/Karachi"),
        ("Islamabad", "Asia/Karachi"),
        ("Boston", "America/New_York"),
        ("Philadelphia", "America/New_York"),
        ("Washington DC", "America/New_York"),
        ("Washington, D.C.", "America/New_York"),
        ("Miami", "America/New_York"),
        ("atlanta", "America/New_York"),
        ("Houston", "America/Chicago"),
        ("dallas", "America/Chicago"),
        ("San Francisco", "America/Los_Angeles"),
        ("los angeles", "America/Los_Angeles"),
        ("Seattle", "America/Los_Angeles"),
        ("Alexandria", "Africa/Cairo"),
        ("Giza", "Africa/Cairo"),
        ("Abuja", "Africa/Lagos"),
        ("Beijing", "Asia/Shanghai"),
        ("Lahore, Pakistan", "Asia/Karachi"),
        ("India", "Asia/Kolkata"),
        ("Pakistan", "Asia/Karachi"),
        ("Nigeria", "Africa/Lagos"),
        ("UK", "Europe/London"),
        ("EST", "America/New_York"),
        ("edt", "America/New_York"),
        ("ET", "America/New_York"),
        ("Eastern", "America/New_York"),
        ("eastern time", "America/New_York"),
        ("Eastern Standard Time", "America/New_York"),
        ("CST", "America/Chicago"),
        ("central", "America/Chicago"),
        ("MST", "America/Denver"),
        ("mountain", "America/Denver"),
        ("PST", "America/Los_Angeles"),
        ("Pacific Time", "America/Los_Angeles"),
        ("HST", "Pacific/Honolulu"),
        ("AKST", "America/Anchorage"),
        ("GMT", "UTC"),
        ("z", "UTC"),
        ("UTC+0", "UTC"),
        ("PKT", "Asia/Karachi"),
        ("WAT", "Africa/Lagos"),
        ("Phoenix", "America/Phoenix"),
    ],
)
def test_understood(typed: str, zone: str) -> None:
    assert read(typed).name == zone


def test_the_reply_shows_a_guess_but_not_a_literal_name() -> None:
    said = read("EST").words(CONTENT.msg)
    assert CONTENT.msg("profile_zone_saved", **said).startswith(
        "Saved your time zone: America/New_York (you typed EST). "
    )
    assert read("america/new_york").aside(CONTENT.msg) == ""
    assert "(you typed US/Eastern)" in read("US/Eastern").aside(CONTENT.msg)


def test_a_guess_likely_wrong_for_some_says_so() -> None:
    assert "Phoenix" in read("MST").aside(CONTENT.msg)  # Arizona keeps standard time
    assert "London" in read("GMT").aside(CONTENT.msg)  # the UK does not


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("IST", ["Asia/Kolkata (India)", "Asia/Jerusalem (Israel)", "Europe/Dublin (Ireland)"]),
        ("BST", ["Europe/London", "Asia/Dhaka (Bangladesh)"]),
        ("EET", ["Africa/Cairo (Egypt)", "Europe/Athens (Greece)"]),
        ("Hyderabad", ["Asia/Kolkata (India)", "Asia/Karachi (Pakistan)"]),
        ("AST", ["America/Halifax", "Asia/Riyadh"]),
        ("United States", ["America/New_York", "America/Chicago", "America/Los_Angeles"]),
        ("usa", ["America/New_York", "America/Denver"]),
    ],
)
def test_ambiguous_words_ask_which(typed: str, candidates: list[str]) -> None:
    text = refusal(typed)
    assert "could mean" in text and "nothing was changed" in text
    assert all(c in text for c in candidates)


@pytest.mark.parametrize(
    ("typed", "offset", "expected", "now"),
    [
        ("GMT+2", "UTC+2", "Africa/Cairo", WINTER),
        ("utc+2", "UTC+2", "Africa/Johannesburg", WINTER),
        ("UTC+5:30", "UTC+5:30", "Asia/Kolkata", WINTER),
        ("+05:30", "UTC+5:30", "Asia/Kolkata", SUMMER),
        ("UTC+0530", "UTC+5:30", "Asia/Kolkata", WINTER),
        ("UTC -5", "UTC-5", "America/New_York", WINTER),
        ("UTC -5", "UTC-5", "America/Chicago", SUMMER),  # daylight saving moves who is where
        ("gmt-4", "UTC-4", "America/New_York", SUMMER),
        ("GMT+5", "UTC+5", "Asia/Karachi", WINTER),
        ("GMT+1", "UTC+1", "Africa/Lagos", WINTER),
        ("gmt+3", "UTC+3", "Africa/Cairo", SUMMER),
        ("UTC−3", "UTC-3", "America/Sao_Paulo", WINTER),  # a typographic minus
        ("+6", "UTC+6", "Asia/Dhaka", WINTER),
    ],
)
def test_offsets_are_refused_with_zones_at_that_offset(
    typed: str, offset: str, expected: str, now: datetime
) -> None:
    text = refusal(typed, now)
    assert f"{offset} is an offset" in text and "Which city" in text
    assert expected in text
    assert "Etc/" not in text


def test_cairo_is_not_at_utc_plus_2_in_summer() -> None:
    assert "Africa/Cairo" not in refusal("GMT+2", SUMMER)
    assert "Africa/Johannesburg" in refusal("GMT+2", SUMMER)


def test_an_etc_zone_is_read_with_its_real_sign() -> None:
    text = refusal("Etc/GMT+2")
    assert "UTC-2" in text and "America/Noronha" in text and "Africa/Cairo" not in text
    assert "UTC+3" in refusal("etc/gmt-3") and "Asia/Riyadh" in refusal("etc/gmt-3")


def test_an_offset_no_place_has_is_told_so() -> None:
    assert "No time zone I know is at UTC+15" in refusal("GMT+15")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("Kairo", "Africa/Cairo"), ("Europe/Berln", "Europe/Berlin"), ("Lahor", "Asia/Karachi")],
)
def test_near_misses_suggest_canonical_zones(typed: str, suggested: str) -> None:
    text = refusal(typed)
    assert f"Did you mean {suggested}" in text


@pytest.mark.parametrize("typed", ["Eastern Tiem", "Asia/Calcuta", "US/Easten", "Etc/GMT+22"])
def test_suggestions_never_offer_old_names(typed: str) -> None:
    text = refusal(typed).replace(typed, "")
    for old in ("US/", "Canada/", "Asia/Calcutta", "Etc/", "Asia/Tehran"):
        assert old not in text


def test_refusals_are_short_and_cannot_ping() -> None:
    text = refusal("@everyone <@123> " + "x" * 300)
    assert "@everyone" not in text and "<@123>" not in text
    assert len(text) < 250
    assert "Type your city" in refusal("Mars/Phobos")


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def test_a_broken_zone_table_stops_start_with_file_and_key(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "zones.yaml"
    data = yaml.safe_load(path.read_text())
    data["places"]["boston"] = "America/Bostn"
    data["places"]["bombay"] = "Asia/Calcutta"
    data["abbreviations"]["IST"] = "Asia/Kolkata"
    data["likely"].append("Mars/Olympus")
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError) as info:
        load_content(root)
    text = str(info.value)
    assert f"{path}: places" in text and f"{path}: abbreviations" in text
    assert "boston: 'America/Bostn' is not a Region/City zone" in text
    assert "bombay: 'Asia/Calcutta' is an old name; write Asia/Kolkata" in text
    assert "IST: write it as 'ist'" in text
    assert "'Mars/Olympus'" in text


def test_a_missing_zone_table_is_named(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "zones.yaml").unlink()
    with pytest.raises(ContentError, match=r"zones\.yaml: missing"):
        load_content(root)


def test_a_platform_zone_is_read_as_its_canonical_name() -> None:
    assert platform_zone("Asia/Calcutta") == "Asia/Kolkata"
    assert platform_zone("America/New_York") == "America/New_York"
    assert platform_zone("EST") is None and platform_zone(None) is None
