"""``stats.progress``: a bar on a terminal, nothing in pipes and CI, the items unchanged."""

from __future__ import annotations

import io
import sys

from stats import progress as P


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_in_a_pipe_and_under_ci(monkeypatch):
    monkeypatch.delenv("STATS_NO_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not P.progress_enabled()
    assert list(P.progress(range(3), desc="x")) == [0, 1, 2]
    assert sys.stderr.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert P.progress_enabled()
    monkeypatch.setenv("CI", "1")
    assert not P.progress_enabled()


def test_a_bar_on_a_terminal_passes_every_item(monkeypatch):
    monkeypatch.delenv("STATS_NO_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert list(P.progress(iter("abc"), desc="reading", total=3)) == ["a", "b", "c"]
    assert "reading" in term.getvalue()
