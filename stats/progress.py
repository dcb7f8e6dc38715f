"""Progress bars that show on a terminal and stay quiet in pipes and CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

# the text bar: a bar is drawn only on a terminal, so never as a notebook widget (tqdm.auto
# would pick one in a kernel, and warn there when ipywidgets is not installed)
from tqdm import tqdm

T = TypeVar("T")


def progress_enabled() -> bool:
    """True when standard error is a terminal and we are not under CI."""
    if os.environ.get("CI") or os.environ.get("STATS_NO_PROGRESS"):
        return False
    return sys.stderr.isatty()


def progress(iterable: Iterable[T], desc: str = "", total: int | None = None) -> Iterator[T]:
    """Wrap *iterable* in a tqdm bar on a terminal; pass it through unchanged elsewhere."""
    if not progress_enabled():
        yield from iterable
        return
    yield from tqdm(iterable, desc=desc, total=total, leave=False, file=sys.stderr)
