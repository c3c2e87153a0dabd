"""/pitch-review: automatic and peer feedback on a pitch."""

from bot.features.pitch import rules  # noqa: F401  (registers the pack section)
