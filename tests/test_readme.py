"""The README's Python example runs as written on the shipped data."""

import re
from pathlib import Path

from stats import config

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_example_runs(shipped, monkeypatch, capsys):
    monkeypatch.setattr(config, "PROCESSED", shipped[1])
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README has a Python example"
    for code in blocks:
        assert len(code.strip().splitlines()) <= 5
        exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "cum_best" in printed and "2024-12-06" in printed


def test_readme_shows_the_set_up_commands():
    text = README.read_text(encoding="utf-8")
    for cmd in ("make install", "make report", "make test"):
        assert cmd in text
