"""Conference mode: `/conference add|list|attend|leave|target|targets|met|today|
report|remove`. Preparation reminders, the daily 3-2-1 and summaries run on the
scheduling engine in the conference's zone; people are kept in the contact log,
tagged with the conference, with the contact log's own follow-up nudges."""

from bot.features.conference import commands, content, jobs, suggest, tables

__all__ = ["commands", "content", "jobs", "suggest", "tables"]
