"""Content packs: data, not code. Each pack is a directory of YAML files:
`pack.yaml` holds the core keys, and every other file is one feature's section
(`pitch.yaml`, `checkin.yaml`, ...), validated by the model that feature
registers with @section (a section model with `cross_check(pack)` also checks
what only the whole pack shows). Wording lives in content/messages/*.yaml.
content/zones.yaml says what the words members use for time zones mean.
A broken file stops start-up with the file, the key and what is wrong."""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.zones import ZoneTable

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SECTIONS: dict[str, type[BaseModel]] = {}
M = TypeVar("M", bound=BaseModel)


def section(name: str) -> Any:
    """Class decorator: `name`.yaml in every pack is validated by this model."""

    def register(model: type[M]) -> type[M]:
        SECTIONS[name] = model
        return model

    return register


class ContentError(Exception):
    """One or more problems in content files, each naming file, key and problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(Strict):
    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is larger than max ({self.max})")
        return self


class FocusArea(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    label: str = Field(min_length=1, max_length=45)
    keywords: list[str] = Field(min_length=1)

    @field_validator("keywords")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        bad = [k for k in v if k != k.lower() or not k.strip()]
        if bad:
            raise ValueError(f"keywords must be lowercase and non-empty: {bad}")
        return v


class Stage(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    label: str = Field(min_length=1, max_length=45)


class Meeting(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    short: str = Field(min_length=1, max_length=20)
    scope: str = Field(pattern=r"^(national|regional|subspecialty|student)$")


class Cadences(Strict):
    follow_up_after_meeting_days: Range
    no_reply_follow_up_days: Range
    mentor_update_days: Range
    letter_lead_weeks: int = Field(ge=1, le=52)
    letter_gentle_check_weeks: int = Field(ge=0, le=52)
    letter_confirm_weeks: int = Field(ge=0, le=52)
    letter_writer_known_months: int = Field(ge=0, le=60)
    conference_prep_weeks: int = Field(ge=0, le=26)
    emails_per_month: Range
    active_mentors: Range


class Pack(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    name: str = Field(min_length=1, max_length=60)
    summary: str = Field(min_length=1, max_length=400)
    specialty: str = Field(min_length=1, max_length=80)
    focus_areas: list[FocusArea] = Field(min_length=1, max_length=25)
    stages: list[Stage] = Field(min_length=1, max_length=25)
    meetings: list[Meeting] = Field(default_factory=list)
    cadences: Cadences
    goals: list[str] = Field(default_factory=list)
    first_steps: list[str] = Field(default_factory=list, max_length=3)  # the welcome's "do first"
    mentor_kinds_note: str = ""
    sections: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @model_validator(mode="after")
    def _unique_ids(self) -> Pack:
        for name in ("focus_areas", "stages", "meetings"):
            ids = [item.id for item in getattr(self, name)]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{name}: duplicate ids {dupes}")
        return self

    def focus(self, area_id: str) -> FocusArea | None:
        return next((f for f in self.focus_areas if f.id == area_id), None)

    def focus_named(self, typed: str) -> list[str]:
        """The focus areas a member's words name: an id or label, else a keyword
        ("TACE", "PAE"), else the areas with a keyword holding all the words
        ("embolization": several, for the member to choose). Case, spaces and
        hyphens aside."""

        def words(text: str) -> list[str]:
            return text.lower().replace("-", " ").replace("_", " ").split()

        said = words(typed)
        if not said:
            return []
        for exact in (
            lambda f: said in (words(f.id), words(f.label)),
            lambda f: any(said == words(k) for k in f.keywords),
            lambda f: any(set(said) <= set(words(k)) for k in f.keywords),
        ):
            found = [f.id for f in self.focus_areas if exact(f)]
            if found:
                return found
        return []

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def section(self, name: str, model: type[M]) -> M:
        """A feature's validated section of this pack."""
        value = self.sections[name]
        assert isinstance(value, model)
        return value

    def choices(self, key: str) -> list[tuple[str, str]]:
        """(id, label) pairs of a pack list, for forms and Discord choices."""
        items = getattr(self, key)
        return [(i.id, i.label) for i in items]


class Messages(Strict):
    """Wording, keyed; each value is a str.format template."""

    templates: dict[str, str]

    @field_validator("templates")
    @classmethod
    def _parse(cls, v: dict[str, str]) -> dict[str, str]:
        for key, tpl in v.items():
            try:
                list(string.Formatter().parse(tpl))
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from exc
        return v


@dataclass(frozen=True)
class Content:
    packs: dict[str, Pack]
    messages: Messages
    zones: ZoneTable = field(default_factory=ZoneTable)

    def pack(self, pack_id: str | None) -> Pack:
        if pack_id and pack_id in self.packs:
            return self.packs[pack_id]
        return next(iter(self.packs.values()))

    def msg(self, key: str, **values: Any) -> str:
        return self.messages.templates[key].format(**values)

    @cached_property
    def digest(self) -> str:
        """A hash of every pack, section and message: two processes that loaded
        the same content agree on it, and any edit changes it."""
        data = {
            "packs": {
                pid: [
                    p.model_dump(mode="json"),
                    {n: s.model_dump(mode="json") for n, s in p.sections.items()},
                ]
                for pid, p in self.packs.items()
            },
            "messages": self.messages.templates,
            "zones": self.zones.model_dump(mode="json"),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problems.append(f"{path}:{where} not valid YAML: {getattr(exc, 'problem', exc)}")
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror}")
    return None


def _explain(path: Path, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        out.append(f"{path}: {key}: {err['msg']}")
    return out


def load_pack(directory: Path, problems: list[str]) -> Pack | None:
    path = directory / "pack.yaml"
    if not path.is_file():
        problems.append(f"{directory}: no pack.yaml")
        return None
    raw = _read_yaml(path, problems)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append(f"{path}: (top level): expected a mapping of keys")
        return None
    try:
        pack = Pack.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_explain(path, exc))
        return None
    if pack.id != directory.name:
        problems.append(f"{path}: id: '{pack.id}' must equal the directory name '{directory.name}'")
        return None
    sections = _load_sections(directory, problems)
    if sections is None:
        return None
    pack = pack.model_copy(update={"sections": sections})
    found = [
        f"{directory / name}.yaml: {problem}"
        for name, value in sorted(sections.items())
        if hasattr(value, "cross_check")
        for problem in value.cross_check(pack)
    ]
    problems.extend(found)
    return None if found else pack


def _load_sections(directory: Path, problems: list[str]) -> dict[str, Any] | None:
    found = {p.stem: p for p in directory.glob("*.yaml") if p.name != "pack.yaml"}
    ok = True
    for stem, path in sorted(found.items()):
        if stem not in SECTIONS:
            known = ", ".join(sorted(SECTIONS)) or "none"
            problems.append(f"{path}: unknown section file (known sections: {known})")
            ok = False
    sections: dict[str, Any] = {}
    for name, model in sorted(SECTIONS.items()):
        path = directory / f"{name}.yaml"
        if name not in found:
            problems.append(f"{path}: missing (every pack needs a {name}.yaml section)")
            ok = False
            continue
        raw = _read_yaml(path, problems)
        if raw is None and path.exists():
            ok = False
            continue
        try:
            sections[name] = model.model_validate(raw or {})
        except ValidationError as exc:
            problems.extend(_explain(path, exc))
            ok = False
    return sections if ok else None


def load_content(root: Path = CONTENT_DIR) -> Content:
    """Load and validate every pack under root/packs and root/messages/*.yaml."""
    from bot import features

    features.load()  # features register their pack sections
    problems: list[str] = []
    packs_dir = root / "packs"
    packs: dict[str, Pack] = {}
    if not packs_dir.is_dir():
        problems.append(f"{packs_dir}: missing (a content directory needs packs/<id>/pack.yaml)")
    else:
        for directory in sorted(p for p in packs_dir.iterdir() if p.is_dir()):
            pack = load_pack(directory, problems)
            if pack:
                packs[pack.id] = pack
        if not packs and not problems:
            problems.append(f"{packs_dir}: no packs found")
    messages = _load_messages(root / "messages", problems)
    zones = _load_zones(root / "zones.yaml", problems)
    if problems or messages is None or zones is None:
        raise ContentError(problems)
    return Content(packs, messages, zones)


def _load_zones(path: Path, problems: list[str]) -> ZoneTable | None:
    if not path.is_file():
        problems.append(f"{path}: missing (what members' time zone words mean)")
        return None
    raw = _read_yaml(path, problems)
    try:
        return ZoneTable.model_validate(raw or {})
    except ValidationError as exc:
        problems.extend(_explain(path, exc))
        return None


def _load_messages(directory: Path, problems: list[str]) -> Messages | None:
    templates: dict[str, str] = {}
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    if not files:
        problems.append(f"{directory}: missing (message templates, e.g. core.yaml)")
    for path in files:
        raw = _read_yaml(path, problems)
        if not isinstance(raw, dict):
            if raw is not None:
                problems.append(f"{path}: (top level): expected a mapping of keys to templates")
            continue
        for key, value in raw.items():
            if key in templates:
                problems.append(f"{path}: {key}: defined in another messages file too")
            elif not isinstance(value, str):
                problems.append(f"{path}: {key}: expected text")
            else:
                templates[key] = value
    try:
        return Messages.model_validate({"templates": templates})
    except ValidationError as exc:
        problems.extend(_explain(directory, exc))
        return None
