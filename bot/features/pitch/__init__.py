"""/pitch-review: automatic and peer feedback on a pitch or networking email."""

from bot.registry import registry

# "/pitch-review <your pitch>" is the private check: the words typed are the pitch.
registry.command(
    "pitch-review",
    "Feedback on your pitch or networking email: automatic and from peers",
    default="check",
)

# Subcommands register on import, in the order /help lists them.
from bot.features.pitch import rules, submissions, reviews, queue, privacy  # noqa: E402, I001

__all__ = ["privacy", "queue", "reviews", "rules", "submissions"]
