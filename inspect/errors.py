"""The few domain exceptions services raise; the app maps each once to a page or a
problem-details JSON response."""

from __future__ import annotations

import functools
from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a process of the CPU pool and re-raised here: keep the field.
        return (functools.partial(type(self), field=self.field), (self.message,))


class NotFound(DomainError):
    """Also used for records outside the user's unit scope: their existence is not revealed."""

    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Invalid(DomainError):
    status_code = 400


class Conflict(DomainError):
    status_code = 409
