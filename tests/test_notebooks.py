"""Every notebook in notebooks/ executes top to bottom (one test each), so none can rot.

The kernel is ``python3`` started from this interpreter: run pytest from the venv
(``.venv/bin/python -m pytest``) so that the notebooks see the venv's packages.
"""

from __future__ import annotations

import json

import pytest

from stats import config
from stats.commands.notebooks import execute_notebook, notebook_paths
from stats.errors import UserError

NOTEBOOKS = notebook_paths(config.NOTEBOOKS)
#: Notebooks that read the processed tables (``data/processed/``): they run on the session's one
#: build of the shipped data (:func:`conftest.shipped`), not on whatever a checkout holds (a
#: clean clone has none, and the notebook would build it again).
READ_PROCESSED = ("01-syria-2024-overview",)


def root_with_build(tmp_path, processed):
    """A ``STATS_ROOT`` whose ``data/processed`` is *processed*, the rest the repository's."""
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    for name in ("raw", "hand"):
        (root / "data" / name).symlink_to(config.ROOT / "data" / name)
    (root / "data" / "processed").symlink_to(processed)
    (root / "notebooks").symlink_to(config.NOTEBOOKS)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path, request, monkeypatch):
    if path.stem in READ_PROCESSED:  # (the kernel inherits the environment)
        processed = request.getfixturevalue("shipped")[1]
        monkeypatch.setenv("STATS_ROOT", str(root_with_build(tmp_path, processed)))
    nb = execute_notebook(path, tmp_path)
    assert (tmp_path / path.name).exists()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code)
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_outputs_stripped_in_git(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: strip outputs before committing"
            assert cell.get("execution_count") is None, f"{path.name}: strip execution counts"


def test_failing_cell_names_the_notebook(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("raise ValueError('boom')")]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(UserError, match=r"(?s)bad\.ipynb: a cell failed.*ValueError: boom"):
        execute_notebook(path)


def test_kernel_is_this_interpreter(tmp_path):
    import sys

    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys, stats; print(sys.executable)")]
    path = tmp_path / "which.ipynb"
    nbformat.write(nb, path)
    out = execute_notebook(path).cells[0].outputs[0]["text"].strip()
    assert out == sys.executable


def test_not_a_notebook(tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_text("not json")
    with pytest.raises(UserError, match=r"x\.ipynb: not a readable notebook"):
        execute_notebook(path)
