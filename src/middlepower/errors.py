"""The few exception types middlepower raises at its boundaries.

Each carries a one-line message that names the offending file, field or value; the CLI prints it
and exits non-zero, the web API turns it into a 4xx response.

An error about one argument of a library function names that argument, not a command-line flag:
``raise ParameterError("above the bound of 1,000,000", parameter="draws", value=draws)`` reads
``draws 2000000000: above the bound of 1,000,000``. The CLI knows which option feeds which
parameter and sets :attr:`MiddlepowerError.option` before printing, so a user of
``--draws`` reads ``--draws 2000000000: ...`` (see ``middlepower.cli``).
"""

from __future__ import annotations

_NO_VALUE = object()


class MiddlepowerError(Exception):
    """Base class: an error a user can act on, with a one-line message.

    ``parameter`` (optional) is the name of the library argument the error is about and ``value``
    the value it was given; ``option`` is set by the CLI to the flag that fed the parameter.
    """

    exit_code = 1

    def __init__(self, message: str, *, parameter: str | None = None, value: object = _NO_VALUE) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter
        self.value = value
        self.option: str | None = None

    def __str__(self) -> str:
        name = self.option or self.parameter
        if name is None:
            return self.message
        shown = "" if self.value is _NO_VALUE else f" {_shown(self.value)}"
        return f"{name}{shown}: {self.message}"


def _shown(value: object) -> str:
    """A value as a message quotes it: numbers plain, text quoted and cut to 60 characters."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:59] + "…")
    if isinstance(value, (list, tuple)):
        return " ".join(_shown(v) for v in value)
    return str(value)


class SourceError(MiddlepowerError):
    """An upstream file is missing, truncated, unreadable or fails its checksum."""

    exit_code = 3


class SpecError(MiddlepowerError):
    """An index spec, claim file or scenario file is invalid (names the entry)."""

    exit_code = 4


class DataError(MiddlepowerError):
    """Data are valid files but unusable for the request (unknown code, empty selection, stale store)."""

    exit_code = 5


class ParameterError(MiddlepowerError):
    """An argument of the wrong kind or outside its documented bound (:mod:`middlepower.limits`).

    Exit code 2, as for any other bad command-line value."""

    exit_code = 2


class UsageError(ParameterError):
    """A command-line value that cannot be honoured (an output file name, folder or format)."""

    exit_code = 2
