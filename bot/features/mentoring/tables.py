"""Tables of mentor matching: sign-ups (one per member and side), exclusions a
member asked for, rounds (with the pool frozen at close), the plan a round's
preview computed (until it is published) and proposed pairs."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    false,
)

from bot.privacy.rules import Anonymise, Derived, JsonMembers, Keep, Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")

mentoring_signups = Table(
    "mentoring_signups",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("member_id", String(80), primary_key=True),
    Column("role", String(8), primary_key=True),  # "mentor" or "mentee"
    Column("pack", String(40), nullable=False),
    Column("kinds", JSON, nullable=False, default=list),  # offered (mentor) or sought (mentee)
    Column("focus", JSON, nullable=False, default=list),  # focus-area ids of the pack
    Column("stage", String(40), nullable=True),
    Column("img", String(12), nullable=False, default="none"),  # img | experienced | none
    Column("background", String(12), nullable=True),  # us-grad | us-img | non-us-img
    Column("visa", String(12), nullable=True),  # a mentee's path: j1 | h1b | undecided
    Column("visa_important", Boolean, nullable=False, default=False, server_default=false()),
    Column("visa_help", JSON, nullable=True),  # a mentor's visa experience: ["j1", "h1b"]
    Column("sponsors", JSON, nullable=True),  # visas a mentor's program sponsors
    Column("timezone", String(64), nullable=False),
    Column("languages", JSON, nullable=False, default=list),
    Column("capacity", SmallInteger, nullable=False, default=1),  # mentees per round
    Column("goal", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

mentoring_exclusions = Table(
    "mentoring_exclusions",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("member_id", String(80), primary_key=True),
    Column("excluded_id", String(80), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

mentoring_rounds = Table(
    "mentoring_rounds",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("status", String(12), nullable=False),  # open | closed | published
    Column("seed", Integer, nullable=False),
    Column("pool", JSON, nullable=True),  # the sign-ups as they were at close
    Column("opened_by", String(80), nullable=False),
    Column("opened_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime(), nullable=True),
    Column("published_at", UTCDateTime(), nullable=True),
    # [{"member_id", "reason", "why"}] for mentees the published round left out
    Column("unmatched", JSON, nullable=True),
    Index("ix_mentoring_rounds_community", "community_id", "status"),
)

# The plan a preview computed, so that publish in any process proposes the pairs
# shown without solving again; used only while `inputs` still matches.
mentoring_plans = Table(
    "mentoring_plans",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("round_id", ID, primary_key=True),
    Column("inputs", String(64), nullable=False),  # sha256 of all the solver was given
    Column("plan", JSON, nullable=False),  # {"pairs": [[mentee, mentor, ...]], "unmatched": ...}
    Column("made_at", UTCDateTime(), nullable=False),
)

mentoring_pairs = Table(
    "mentoring_pairs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("round_id", ID, nullable=False),
    Column("mentee_id", String(80), nullable=False),
    Column("mentor_id", String(80), nullable=False),
    Column("score", Float, nullable=False),
    Column("explanation", String(300), nullable=False),
    # proposed -> accepted (both said yes) | declined (either said no) | ended (not a fit)
    Column("status", String(12), nullable=False),
    Column("mentee_answer", String(12), nullable=True),  # accepted | declined
    Column("mentor_answer", String(12), nullable=True),
    Column("met", String(12), nullable=True),  # yes | not-yet | not-a-fit (latest answer)
    Column("nudged_at", UTCDateTime(), nullable=True),  # the one reminder to answer
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_mentoring_pairs_round", "community_id", "round_id"),
    Index("ix_mentoring_pairs_members", "community_id", "mentee_id", "mentor_id"),
)

declare(
    Rows(mentoring_signups, "member_id"),
    Rows(mentoring_exclusions, "member_id", label="mentoring_exclusions_made"),
    Keep(
        mentoring_exclusions,
        "excluded_id",
        "another member's request never to be matched with this member: theirs, not the "
        "member's, so it is neither exported nor undone by deleting and coming back",
    ),
    Anonymise(
        mentoring_rounds,
        "opened_by",
        "a round belongs to the community; only which organiser opened it is forgotten",
        label="mentoring_rounds_opened",
    ),
    JsonMembers(mentoring_rounds, "pool", label="mentoring_round_pools"),
    JsonMembers(mentoring_rounds, "unmatched", label="mentoring_round_unmatched"),
    Derived(
        mentoring_plans,
        "an unpublished round's plan for organisers, computed from the sign-ups and "
        "exclusions (which are exported); it names members, so it goes when any does",
    ),
    Rows(mentoring_pairs, "mentee_id", label="mentoring_pairs_as_mentee"),
    Rows(mentoring_pairs, "mentor_id", label="mentoring_pairs_as_mentor"),
)
