"""The `pitch` section of a content pack: speaking rate, the kinds of pitch with
their targets and rubrics, and the phrases and patterns that detect each part
and flag. Organisers edit these in content/packs/<pack>/pitch.yaml."""

from __future__ import annotations

import re
import string
from typing import Literal

from pydantic import Field, field_validator, model_validator

from bot.content import KEBAB, Range, Strict, section

ELEMENT_IDS = ("identity", "background", "focus", "evidence", "ask")
FLAG_IDS = ("too_long", "too_short", "vague_interest", "defensive", "template", "subject")
# Flags the analyser raises from the text's measure or layout, not from cues.
MEASURED_FLAGS = ("too_long", "too_short", "subject")
CRITERIA = ("clarity", "specificity", "memorability", "ask")
ElementId = Literal["identity", "background", "focus", "evidence", "ask"]
FlagId = Literal["too_long", "too_short", "vague_interest", "defensive", "template", "subject"]
CriterionId = Literal["clarity", "specificity", "memorability", "ask"]
# Values a suggestion may use, e.g. "at about {seconds} s it runs past {hi} s".
SUGGESTION_FIELDS = {"words", "seconds", "lo", "hi", "lo_words", "hi_words", "kind"}


class Cues(Strict):
    """Phrases match case-insensitively as whole words (a plural -s/-es is allowed);
    patterns are regular expressions, case-sensitive unless they start with (?i)."""

    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)

    @field_validator("phrases")
    @classmethod
    def _phrases(cls, v: list[str]) -> list[str]:
        bad = [p for p in v if not p.strip()]
        if bad:
            raise ValueError("phrases must not be empty")
        return v

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        for p in v:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} is not a valid regular expression: {exc}") from exc
        return v

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.patterns)


def _check_template(text: str) -> str:
    names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    unknown = names - SUGGESTION_FIELDS
    if unknown:
        raise ValueError(f"unknown placeholders {sorted(unknown)}; use {sorted(SUGGESTION_FIELDS)}")
    return text


class ElementRule(Strict):
    """A part of a strong pitch. Present when every group in `needs` matches
    somewhere in the text, ignoring sentences that contain an `ignore_sentences_with`
    phrase (e.g. "hoping to get research" is not evidence)."""

    id: ElementId
    label: str = Field(min_length=1, max_length=40)
    suggestion: str = Field(min_length=1, max_length=240)
    needs: list[Cues] = Field(min_length=1)
    ignore_sentences_with: list[str] = Field(default_factory=list)
    # Phrases taken out of the text before looking for this part, e.g. "stepping
    # stone" (not stone disease) or "any tips" (not a clear ask).
    ignore_phrases: list[str] = Field(default_factory=list)

    @field_validator("suggestion")
    @classmethod
    def _suggestion(cls, v: str) -> str:
        return _check_template(v)


class FlagRule(Strict):
    """A problem to point out. Length flags come from the kind's target; the others
    are raised by `cues` (only when every element in `only_if_missing` is missing)
    or by `always` whatever else the pitch holds."""

    id: FlagId
    label: str = Field(min_length=1, max_length=40)
    suggestion: str = Field(min_length=1, max_length=240)
    written: str | None = Field(default=None, min_length=1, max_length=240)  # for emails
    cues: Cues = Field(default_factory=Cues)
    only_if_missing: list[ElementId] = Field(default_factory=list)
    always: Cues = Field(default_factory=Cues)

    @field_validator("suggestion", "written")
    @classmethod
    def _suggestion(cls, v: str | None) -> str | None:
        return v if v is None else _check_template(v)


class Kind(Strict):
    """A kind of pitch: its target length and what reviewers look for. Spoken
    kinds are timed (target_seconds); written ones, emails, are counted in words
    (target_words) and may need a specific subject line."""

    id: str = Field(pattern=KEBAB, max_length=30)
    label: str = Field(min_length=1, max_length=40)
    aliases: list[str] = Field(default_factory=list)
    email: bool = False
    target_seconds: Range | None = None
    target_words: Range | None = None
    needs_subject: bool = False
    rubric: dict[CriterionId, str]
    suggestions: dict[str, str] = Field(default_factory=dict)  # element/flag id -> override

    @field_validator("rubric")
    @classmethod
    def _all_criteria(cls, v: dict[str, str]) -> dict[str, str]:
        missing = [c for c in CRITERIA if not v.get(c, "").strip()]
        if missing:
            raise ValueError(f"rubric needs a line for {missing}")
        return v

    @field_validator("suggestions")
    @classmethod
    def _known(cls, v: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(v) - set(ELEMENT_IDS) - set(FLAG_IDS))
        if unknown:
            raise ValueError(f"suggestions for unknown ids {unknown}")
        for text in v.values():
            _check_template(text)
        return v

    @model_validator(mode="after")
    def _one_target(self) -> Kind:
        if self.email and (self.target_words is None or self.target_seconds is not None):
            raise ValueError(f"kind {self.id}: an email kind has target_words (and no seconds)")
        if not self.email and (self.target_seconds is None or self.target_words is not None):
            raise ValueError(f"kind {self.id}: a spoken kind has target_seconds (and no words)")
        if self.needs_subject and not self.email:
            raise ValueError(f"kind {self.id}: only an email has a subject line")
        return self

    @property
    def written(self) -> bool:
        return self.target_words is not None

    @property
    def target(self) -> Range:
        """The target in the kind's own unit: words for emails, seconds when spoken."""
        target = self.target_words or self.target_seconds
        assert target is not None  # the validator makes sure of it
        return target


class Criterion(Strict):
    id: CriterionId
    label: str = Field(min_length=1, max_length=30)  # form label, kept short for Discord


class Language(Strict):
    """A cheap English check: mostly Latin letters, and enough English stop words.
    A text with few English stop words is judged not English when it is long
    (`sure_after_words`) or when common words of other languages outnumber them."""

    min_latin_share: float = Field(ge=0, le=1)
    min_stopword_share: float = Field(ge=0, le=1)
    min_words_for_stopwords: int = Field(ge=1, le=50)
    sure_after_words: int = Field(ge=1, le=200)
    stop_words: list[str] = Field(min_length=10)
    other_stop_words: list[str] = Field(min_length=10)


class SubjectRule(Strict):
    """An email's subject line is specific: at least `min_words`, and not one of
    the `generic` ones ("Hello", "Question")."""

    min_words: int = Field(ge=1, le=10)
    generic: list[str] = Field(default_factory=list)


@section("pitch")
class PitchRules(Strict):
    words_per_minute: int = Field(ge=100, le=220)
    grace_seconds: int = Field(ge=0, le=15)
    grace_words: int = Field(ge=0, le=40)
    # Words too general to be a focus: never a focus phrase here or in the pack's
    # focus areas ("tips", "stone", "robotic", ...).
    generic_words: list[str] = Field(min_length=1)
    subject: SubjectRule
    max_chars: int = Field(ge=200, le=8000)
    default_kind: str
    email_kind: str  # used when no kind is given and the text looks like an email
    email_markers: Cues
    kinds: list[Kind] = Field(min_length=1)
    elements: list[ElementRule]
    flags: list[FlagRule]
    criteria: list[Criterion]
    scale: dict[int, str]  # 1..5 -> label shown in the review form
    queue_size: int = Field(ge=1, le=10)
    language: Language

    @model_validator(mode="after")
    def _complete(self) -> PitchRules:
        for name, ids, items in (
            ("elements", ELEMENT_IDS, self.elements),
            ("flags", FLAG_IDS, self.flags),
            ("criteria", CRITERIA, self.criteria),
        ):
            got = [i.id for i in items]
            if sorted(got) != sorted(ids):
                raise ValueError(f"{name} must list each of {list(ids)} once (got {got})")
        kind_ids = [k.id for k in self.kinds]
        if len(set(kind_ids)) != len(kind_ids):
            raise ValueError(f"kinds: duplicate ids {kind_ids}")
        for ref in (self.default_kind, self.email_kind):
            if ref not in kind_ids:
                raise ValueError(f"'{ref}' is not one of the kinds {kind_ids}")
        if sorted(self.scale) != [1, 2, 3, 4, 5]:
            raise ValueError("scale needs a label for each of 1, 2, 3, 4, 5")
        generic = {w.lower() for w in self.generic_words}
        for cues in self.element("focus").needs:
            named = sorted(generic & {p.strip().lower() for p in cues.phrases})
            if named:
                raise ValueError(f"focus phrases {named} are generic_words, not a focus")
        return self

    def specific(self, phrases: list[str]) -> list[str]:
        """`phrases` without the generic words (for the pack's focus keywords)."""
        generic = {w.lower() for w in self.generic_words}
        return [p for p in phrases if p.strip().lower() not in generic]

    def kind(self, kind_id: str) -> Kind:
        return next(k for k in self.kinds if k.id == kind_id)

    def find_kind(self, word: str) -> Kind | None:
        """A kind by id, label or alias, ignoring case."""
        w = word.strip().lower()
        for k in self.kinds:
            if w in (k.id, k.label.lower(), *(a.lower() for a in k.aliases)):
                return k
        return None

    def element(self, element_id: str) -> ElementRule:
        return next(e for e in self.elements if e.id == element_id)

    def flag(self, flag_id: str) -> FlagRule:
        return next(f for f in self.flags if f.id == flag_id)
