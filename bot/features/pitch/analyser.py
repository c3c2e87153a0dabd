"""The automatic check: word count, the length against the kind's target (speaking
time for a spoken pitch, words for an email), which of the five parts a pitch
carries, and flags (an email's subject line, template phrases...). Rule-based,
from the pack's `pitch` section, so organisers can edit what it looks for. Pure:
text in, result out. Verdicts never contradict: a text with all five parts is
not told it is too short."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.features.pitch.rules import ELEMENT_IDS, MEASURED_FLAGS, Cues, Kind, PitchRules

WORD = re.compile(r"[^\W_][\w'\-./]*")
# Abbreviations whose full stop does not end a sentence ("Dr. Kim").
_ABBREV = re.compile(r"\b(Dr|Mr|Mrs|Ms|Mx|St|Prof|Jr|Sr|vs|No)\.", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\"'(])|\n+")
_SUBJECT = re.compile(r"^\s*subject\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " - "})


@dataclass(frozen=True)
class Analysis:
    kind: str
    words: int
    seconds: float
    target: tuple[int, int]
    present: tuple[str, ...]
    missing: tuple[str, ...]
    flags: tuple[str, ...]
    english: bool = True
    written: bool = False  # the target is in words (an email), not seconds

    def data(self) -> dict[str, Any]:
        """The machine-readable result, as the console's --json shows it."""
        length: dict[str, Any] = (
            {"target_words": list(self.target)}
            if self.written
            else {"seconds": self.seconds, "target_seconds": list(self.target)}
        )
        return {
            "words": self.words,
            **length,
            "missing": list(self.missing),
            "flags": list(self.flags),
        }


class _Matcher:
    """One compiled regular expression for a group of phrases and patterns."""

    def __init__(self, cues: Cues, extra_phrases: Iterable[str] = ()) -> None:
        phrases = sorted({p.strip().lower() for p in (*cues.phrases, *extra_phrases)}, key=len)
        parts = [re.escape(p).replace(r"\ ", r"\s+") for p in reversed(phrases)]
        self.phrases = (
            re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:s|es)?(?!\w)", re.IGNORECASE)
            if parts
            else None
        )
        self.patterns = [re.compile(p, re.MULTILINE) for p in cues.patterns]

    def hit(self, text: str) -> bool:
        if self.phrases is not None and self.phrases.search(text):
            return True
        return any(p.search(text) for p in self.patterns)

    def erase(self, text: str) -> str:
        """The text with every phrase this matcher finds blanked out."""
        return self.phrases.sub(" ", text) if self.phrases is not None else text


class _Compiled:
    def __init__(self, rules: PitchRules, focus_keywords: Sequence[str]) -> None:
        self.needs: dict[str, list[_Matcher]] = {}
        self.ignore: dict[str, _Matcher | None] = {}
        self.erase: dict[str, _Matcher | None] = {}
        for e in rules.elements:
            groups = []
            for i, cues in enumerate(e.needs):
                extra = rules.specific(list(focus_keywords)) if (e.id == "focus" and i == 0) else ()
                groups.append(_Matcher(cues, extra))
            self.needs[e.id] = groups
            ignore = Cues(phrases=e.ignore_sentences_with)
            self.ignore[e.id] = _Matcher(ignore) if e.ignore_sentences_with else None
            erase = Cues(phrases=e.ignore_phrases)
            self.erase[e.id] = _Matcher(erase) if e.ignore_phrases else None
        self.flag_cues = {f.id: _Matcher(f.cues) for f in rules.flags if not f.cues.empty}
        self.flag_always = {f.id: _Matcher(f.always) for f in rules.flags if not f.always.empty}
        self.email = _Matcher(rules.email_markers)
        self.stop_words = frozenset(w.lower() for w in rules.language.stop_words)
        self.other_stop_words = frozenset(w.lower() for w in rules.language.other_stop_words)


_CACHE: dict[tuple[int, tuple[str, ...]], tuple[PitchRules, _Compiled]] = {}


def _compiled(rules: PitchRules, focus_keywords: Sequence[str]) -> _Compiled:
    key = (id(rules), tuple(focus_keywords))
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not rules:
        hit = (rules, _Compiled(rules, focus_keywords))
        _CACHE[key] = hit
    return hit[1]


def normalise(text: str) -> str:
    """Straight quotes, abbreviations without full stops, tidy spaces (newlines kept)."""
    text = _ABBREV.sub(r"\1", text.translate(_QUOTES))
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def is_english(text: str, rules: PitchRules) -> bool:
    """Cheap: mostly Latin letters, and (for longer texts) enough English stop words."""
    lang = rules.language
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    latin = sum(1 for c in letters if ord(c) < 0x250)
    if latin / len(letters) < lang.min_latin_share:
        return False
    words = [w.lower().strip("'.-/") for w in WORD.findall(text)]
    if len(words) < lang.min_words_for_stopwords:
        return True
    c = _compiled(rules, ())
    english = sum(1 for w in words if w in c.stop_words) / len(words)
    if english >= lang.min_stopword_share:
        return True
    other = sum(1 for w in words if w in c.other_stop_words) / len(words)
    return other <= english and len(words) < lang.sure_after_words


def guess_kind(text: str, rules: PitchRules) -> Kind:
    """With no kind given: an email if it looks like one, else the default kind."""
    if _compiled(rules, ()).email.hit(normalise(text)):
        return rules.kind(rules.email_kind)
    return rules.kind(rules.default_kind)


def subject_ok(text: str, rules: PitchRules) -> bool:
    """An email's subject line is there and specific (not "Hello", not one word)."""
    found = _SUBJECT.search(text)
    if found is None:
        return False
    subject = found.group(1).strip()
    generic = {g.lower() for g in rules.subject.generic}
    words = count_words(subject)
    return words >= rules.subject.min_words and subject.lower().rstrip(".!?") not in generic


def _length_flag(measure: float, lo: int, hi: int, grace: int) -> str | None:
    if measure > hi + grace:
        return "too_long"
    if measure < lo - grace:
        return "too_short"
    return None


def analyse(
    text: str, rules: PitchRules, kind: Kind, focus_keywords: Sequence[str] = ()
) -> Analysis:
    """Check one pitch. `focus_keywords` are the pack's focus-area keywords."""
    words = count_words(text)
    seconds = round(words * 60 / rules.words_per_minute, 1)
    lo, hi = kind.target.min, kind.target.max
    if kind.written:
        length = _length_flag(words, lo, hi, rules.grace_words)
    else:
        length = _length_flag(seconds, lo, hi, rules.grace_seconds)
    if not is_english(text, rules):
        measured = (length,) if length else ()
        return Analysis(kind.id, words, seconds, (lo, hi), (), (), measured, False, kind.written)
    c = _compiled(rules, tuple(focus_keywords))
    norm = normalise(text)
    parts = sentences(norm)
    present = []
    for element_id in ELEMENT_IDS:
        ignore, erase = c.ignore[element_id], c.erase[element_id]
        kept = "\n".join(s for s in parts if ignore is None or not ignore.hit(s))
        if erase is not None:
            kept = erase.erase(kept)
        if all(m.hit(kept) for m in c.needs[element_id]):
            present.append(element_id)
    missing = tuple(e for e in ELEMENT_IDS if e not in present)
    flags: list[str] = []
    # A text that carries all five parts is not "too short": brevity is a virtue then.
    if length == "too_long" or (length == "too_short" and missing):
        flags.append(length)
    for rule in rules.flags:
        if rule.id in MEASURED_FLAGS:
            continue
        always = c.flag_always.get(rule.id)
        cues = c.flag_cues.get(rule.id)
        conditions_met = all(m in missing for m in rule.only_if_missing)
        if (always and always.hit(norm)) or (cues and conditions_met and cues.hit(norm)):
            flags.append(rule.id)
    if kind.needs_subject and not subject_ok(norm, rules):
        flags.append("subject")
    return Analysis(
        kind.id, words, seconds, (lo, hi), tuple(present), missing, tuple(flags), True, kind.written
    )
