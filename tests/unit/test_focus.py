"""Focus areas named the way members name them, from the packs' own words."""

from __future__ import annotations

import pytest

from bot.content import load_content
from bot.errors import UserError
from bot.focus import pick_focus

IR = load_content().packs["ir"]


@pytest.mark.parametrize(
    ("typed", "area"),
    [
        ("interventional-oncology", "interventional-oncology"),
        ("Interventional Oncology", "interventional-oncology"),
        ("y90", "interventional-oncology"),
        ("Y-90", "interventional-oncology"),
        ("hepatocellular carcinoma", "interventional-oncology"),
        ("PAE", "mens-health"),
        ("ufe", "womens-health"),
        ("fibroids", "womens-health"),
        ("tips", "portal-hypertension"),  # every keyword holding the word is one area's
        ("Neuro IR", "neuro-ir"),
        ("dvt", "venous-disease"),
    ],
)
def test_a_word_of_the_field_names_its_area(typed: str, area: str) -> None:
    assert pick_focus(IR, typed) == area


def test_words_that_fit_several_areas_are_a_question() -> None:
    with pytest.raises(UserError) as err:
        pick_focus(IR, "embolization")
    assert "fits several" in err.value.message
    assert IR.focus_named("embolization")[:3] == [
        "womens-health",
        "trauma-emergency",
        "mens-health",
    ]
    assert all(a in err.value.message for a in IR.focus_named("embolization"))


@pytest.mark.parametrize("typed", ["cooking", "", "radio"])
def test_words_of_no_area_are_refused(typed: str) -> None:
    with pytest.raises(UserError):
        pick_focus(IR, typed)
