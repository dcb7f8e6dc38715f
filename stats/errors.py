"""Exceptions for errors a user can cause (bad input files, bad options)."""


class UserError(Exception):
    """A problem with the user's input, reported as one clear line by the CLI."""


class ChecksumError(UserError):
    """A raw file does not match ``data/raw/SHA256SUMS``."""


class SchemaError(UserError):
    """A table does not have the columns or types its contract requires."""


class ArgumentError(UserError, ValueError):
    """A bad argument value (a date that is not a date, a calendar too long): a ``ValueError``
    for callers of the API, one line on the command line."""
