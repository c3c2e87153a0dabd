"""Errors a member can cause. They carry a friendly message and never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action; the message is shown to the member as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserError):
    """Something the member named does not exist in their community."""


class NotAllowed(UserError):
    """The member may not run this command or touch this item."""


class Worded(UserError):
    """A UserError whose wording is a content/messages key, filled in by the core
    (for modules that have no Context, such as the time language)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values
