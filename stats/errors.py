"""Exceptions for errors a user can cause (bad input files, bad options)."""


class UserError(Exception):
    """A problem with the user's input, reported as one clear line by the CLI."""


class ChecksumError(UserError):
    """A raw file does not match ``data/raw/SHA256SUMS``."""


class SchemaError(UserError):
    """A table does not have the columns or types its contract requires."""
