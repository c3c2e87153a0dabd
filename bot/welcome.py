"""A member's first minute: the first time they use Rounds in a community, a
short welcome by DM with what the community's pack is for, its goals, the three
things to do first, and a button to set their profile."""

from __future__ import annotations

from bot.content import Content, Pack
from bot.responses import Button, Post, Response, Target


def welcome(content: Content, pack: Pack, community_id: str, member_id: str) -> Post:
    msg = content.msg
    goals = "\n".join(f"- {g}" for g in pack.goals)
    steps = "\n".join(f"{i}. {s}" for i, s in enumerate(pack.first_steps, 1))
    parts = [msg("welcome_lead", pack=pack.name, summary=pack.summary)]
    if goals:
        parts.append(f"**{msg('welcome_goals')}**\n{goals}")
    if steps:
        parts.append(f"**{msg('welcome_first_steps')}**\n{steps}")
    parts.append(msg("welcome_outro"))
    message = Response(
        title=msg("welcome_title"),
        text="\n\n".join(parts),
        buttons=(Button(msg("welcome_button_profile"), "profile edit", "primary"),),
        ephemeral=False,
        dm=True,
        data={"welcome": {"pack": pack.id, "goals": len(pack.goals), "steps": pack.first_steps}},
    )
    return Post(
        Target(community_id, member_id=member_id), message, key=f"welcome:{member_id}", aside=True
    )
