"""The pack's `reminders` section: how /remind behaves (data, not code)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from bot.content import Pack, Strict, section
from bot.features.reminders.when import Rules


@section("reminders")
class ReminderRules(Strict):
    default_hour: int = Field(ge=0, le=23)
    min_interval_minutes: int = Field(ge=1, le=60 * 24)
    max_text_length: int = Field(ge=20, le=3000)
    max_live_per_member: int = Field(ge=1, le=10_000)
    max_years_ahead: int = Field(ge=1, le=20)
    snooze_buttons: list[str] = Field(default_factory=list, max_length=3)

    def when_rules(self) -> Rules:
        return Rules(
            default_hour=self.default_hour,
            min_interval=timedelta(minutes=self.min_interval_minutes),
            max_ahead=timedelta(days=366 * self.max_years_ahead),
        )


def rules(pack: Pack) -> ReminderRules:
    return pack.section("reminders", ReminderRules)
