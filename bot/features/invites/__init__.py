"""Mentors who are not on the platform: an invite link to sign up on the web,
then introductions, "did you meet?" and follow-ups by email. Its commands load
after /mentor's (bot.features.MODULES)."""
