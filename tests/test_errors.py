"""``stats.errors``: the user's errors, one line and exit 2 on the command line; a bad
argument is also a ``ValueError`` for callers of the API."""

from __future__ import annotations

import pytest

from stats import cli
from stats.errors import ArgumentError, ChecksumError, SchemaError, UserError


def test_the_error_kinds():
    for kind in (ChecksumError, SchemaError, ArgumentError):
        assert issubclass(kind, UserError)
    assert issubclass(ArgumentError, ValueError)
    assert not issubclass(SchemaError, ValueError)


@pytest.mark.parametrize("kind", [UserError, ChecksumError, SchemaError, ArgumentError])
def test_each_kind_is_one_line_and_exit_2(kind, capsys, monkeypatch):
    def fail(_args):
        raise kind("x.csv: what was wrong")

    monkeypatch.setattr(cli, "build_parser", lambda _c: _Parser(fail))
    assert cli.main(["validate", "x.csv"]) == 2
    assert capsys.readouterr().err == "stats: error: x.csv: what was wrong\n"


class _Parser:
    def __init__(self, run):
        self.run = run

    def parse_args(self, _argv):
        import argparse

        return argparse.Namespace(_run=self.run)
