"""The two ways a service says no. Both carry the Dutch sentence the user reads; nothing was changed.

`Refused`: the input cannot be used (an empty title, an unknown overleg, an unreadable date);
`field` names the form field it belongs to, so a form can show it there.
`NotAllowed`: this user may not do this, or not any more (someone else's proposal, already decided).
"""

from __future__ import annotations


class Refused(Exception):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
