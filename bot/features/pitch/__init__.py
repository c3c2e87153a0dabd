"""/pitch-review: automatic and peer feedback on a pitch or networking email."""

from bot.registry import registry

registry.command(
    "pitch-review", "Feedback on your pitch or networking email: automatic and from peers"
)

from bot.features.pitch import (  # noqa: E402  (subcommands register on import)
    queue,
    reviews,
    rules,
    submissions,
)

__all__ = ["queue", "reviews", "rules", "submissions"]
