"""The few exception types middlepower raises at its boundaries.

Each carries a one-line message that names the offending file, field or value; the CLI prints it
and exits non-zero, the web API turns it into a 4xx response.
"""


class MiddlepowerError(Exception):
    """Base class: an error a user can act on, with a one-line message."""

    exit_code = 1


class SourceError(MiddlepowerError):
    """An upstream file is missing, truncated, unreadable or fails its checksum."""

    exit_code = 3


class SpecError(MiddlepowerError):
    """An index spec, claim file or scenario file is invalid (names the entry)."""

    exit_code = 4


class DataError(MiddlepowerError):
    """Data are valid files but unusable for the request (unknown code, empty selection, stale store)."""

    exit_code = 5


class UsageError(MiddlepowerError):
    """A command-line value that cannot be honoured (an output file name, folder or format)."""

    exit_code = 2
