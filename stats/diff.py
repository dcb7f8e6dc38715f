"""What changed between two builds of a dataset: claims new, corrected and withdrawn,
estimates that moved (and the claims that moved them), conflicts that appeared or were
resolved, and the inputs that differ.

A build is a processed dataset folder (``data/processed/<dataset>/``, or the build kept
before it, ``previous/``; a ``build.json`` names its folder). :func:`diff_builds` reads two;
:func:`diff_tables` compares the tables (pure); :func:`what_changed` is what the report calls
for its "What changed" section.

Notes
-----
Claims are matched by ``claim_id``: a claim whose id is in both builds but whose fields differ
is *corrected* (a curated row edited in a new file, a review correction), one in the new build
only is *new*, one in the old only is *withdrawn*. Estimates are the combined estimates
(``counter == "combined"``) matched by metric, location, subgroup and date; one *moved* when
its low, best or high differs, and the claims that moved it are those added to or removed from
its ``claim_ids``. Conflicts are matched by ``conflict_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from stats.builds import RECORD, read_record

#: The series key of an estimate and the values compared.
SERIES = ("metric", "location", "subgroup", "date")
BOUNDS = ("low", "best", "high")
#: Claim columns that are provenance, not content (a row moved in its file is not corrected).
PROVENANCE = ("source_row",)


@dataclass(frozen=True)
class BuildDiff:
    """Two builds compared (tables of text columns, as written; see :meth:`to_dict`)."""

    new_claims: pd.DataFrame
    corrected_claims: pd.DataFrame
    withdrawn_claims: pd.DataFrame
    moved: pd.DataFrame
    conflicts_appeared: pd.DataFrame
    conflicts_resolved: pd.DataFrame
    inputs: dict

    @property
    def empty(self) -> bool:
        return not any(len(t) for t in self.tables().values()) and not any(self.inputs.values())

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "new_claims": self.new_claims,
            "corrected_claims": self.corrected_claims,
            "withdrawn_claims": self.withdrawn_claims,
            "estimates_moved": self.moved,
            "conflicts_appeared": self.conflicts_appeared,
            "conflicts_resolved": self.conflicts_resolved,
        }

    def to_dict(self) -> dict:
        """JSON-ready: ``{"counts": {name: n}, "inputs": {"added", "changed", "removed"},
        name: [row, ...]}`` for each of :meth:`tables` (missing values as ``None``)."""
        out = {"counts": {k: len(v) for k, v in self.tables().items()}, "inputs": self.inputs}
        for k, v in self.tables().items():
            out[k] = [
                {c: (None if pd.isna(x) else x) for c, x in row.items()}
                for row in v.astype("object").to_dict("records")
            ]
        return out

    def text(self) -> str:
        """The changes as lines of text, one section per kind."""
        lines = []
        for kind, files in self.inputs.items():
            if files:
                lines.append(f"inputs {kind}: {', '.join(files)}")
        for name, row in (
            ("new claims", _claim_line),
            ("corrected claims", lambda r: f"{r['claim_id']}: {r['changes']}"),
            ("withdrawn claims", _claim_line),
            ("estimates moved", _moved_line),
            ("conflicts appeared", _conflict_line),
            ("conflicts resolved", _conflict_line),
        ):
            t = self.tables()[name.replace(" ", "_")]
            lines.append(f"{name}: {len(t)}")
            lines += ["  " + row(r) for r in t.to_dict("records")]
        return "\n".join(lines) if not self.empty else "no change"


def _text(v) -> str:
    return "" if pd.isna(v) else str(v)


def _claim_line(r: dict) -> str:
    where = " ".join(_text(r[c]) for c in ("location", "subgroup") if _text(r[c]))
    return (
        f"{r['claim_id']}: {r['metric']} {_text(r['value']) or _text(r['low'])} "
        f"({r['qualifier']}) {where}, as of {r['period_end']}, by {_text(r['counted_by']) or '?'}"
    )


def _moved_line(r: dict) -> str:
    def band(p):
        lo, best, hi = (_text(r[f"{p}_{b}"]) for b in BOUNDS)
        return f"{best} [{lo}-{hi or 'open'}]" if best else "none"

    where = " ".join(_text(r[c]) for c in ("location", "subgroup") if _text(r[c]))
    claims = " ".join(x for x in (_text(r["claims_added"]), _text(r["claims_removed"])) if x)
    return f"{r['metric']} {where} {r['date']}: {band('old')} -> {band('new')} ({claims})"


def _conflict_line(r: dict) -> str:
    where = " ".join(_text(r[c]) for c in ("location", "subgroup") if _text(r[c]))
    return f"{r['conflict_id']}: {r['kind']} {r['metric']} {where} {r['date']}: {r['detail']}"


def _ids(s) -> set[str]:
    return set() if pd.isna(s) or not str(s) else set(str(s).split(";"))


def diff_claims(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """New, corrected (with a ``changes`` column: ``field: old -> new; ...``) and withdrawn
    claims of two ledgers (text columns)."""
    added = new[~new["claim_id"].isin(old["claim_id"])].reset_index(drop=True)
    gone = old[~old["claim_id"].isin(new["claim_id"])].reset_index(drop=True)
    both = old.merge(new, on="claim_id", suffixes=("_old", "_new"))
    fields = [c for c in new.columns if c in old.columns and c not in ("claim_id", *PROVENANCE)]
    changes = pd.Series("", index=both.index, dtype="str")
    for c in fields:
        a, b = both[f"{c}_old"].fillna(""), both[f"{c}_new"].fillna("")
        diff = a != b
        text = c + ": " + a.where(a != "", "(none)") + " -> " + b.where(b != "", "(none)")
        changes = changes.where(~diff, changes.where(changes == "", changes + "; ") + text)
    corrected = pd.DataFrame({"claim_id": both["claim_id"], "changes": changes})
    return added, corrected[changes != ""].reset_index(drop=True), gone


def diff_estimates(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Combined estimates that moved, appeared or went: the series and day, old and new
    low/best/high and the claims added to (``+id``) or removed from (``-id``) their evidence."""
    keep = [*SERIES, *BOUNDS, "claim_ids"]
    a = old.loc[old["counter"] == "combined", keep]
    b = new.loc[new["counter"] == "combined", keep]
    m = a.merge(b, on=list(SERIES), how="outer", suffixes=("_old", "_new"), indicator=True)
    m = m.rename(columns={f"{x}_{w}": f"{w}_{x}" for x in BOUNDS for w in ("old", "new")})
    moved = m["_merge"] != "both"
    for x in BOUNDS:
        moved |= m[f"old_{x}"].fillna("") != m[f"new_{x}"].fillna("")
    m = m[moved].reset_index(drop=True)
    olds, news = m["claim_ids_old"].map(_ids), m["claim_ids_new"].map(_ids)
    m["claims_added"] = [
        " ".join(f"+{i}" for i in sorted(n - o)) for o, n in zip(olds, news, strict=True)
    ]
    m["claims_removed"] = [
        " ".join(f"-{i}" for i in sorted(o - n)) for o, n in zip(olds, news, strict=True)
    ]
    m["change"] = m["_merge"].map({"both": "moved", "left_only": "gone", "right_only": "new"})
    cols = [*SERIES, "change", *(f"old_{x}" for x in BOUNDS), *(f"new_{x}" for x in BOUNDS)]
    out = m[[*cols, "claims_added", "claims_removed"]].astype("object")
    return out.sort_values(list(SERIES), kind="stable", na_position="first").reset_index(drop=True)


def diff_tables(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> BuildDiff:
    """Compare two builds' ``claims``, ``estimates`` and ``conflicts`` tables (text columns
    as written, :func:`read_build`); ``inputs`` is left empty. Pure: reads nothing."""
    added, corrected, gone = diff_claims(old["claims"], new["claims"])
    oc, nc = old["conflicts"], new["conflicts"]
    return BuildDiff(
        added,
        corrected,
        gone,
        diff_estimates(old["estimates"], new["estimates"]),
        nc[~nc["conflict_id"].isin(oc["conflict_id"])].reset_index(drop=True),
        oc[~oc["conflict_id"].isin(nc["conflict_id"])].reset_index(drop=True),
        {"added": [], "changed": [], "removed": []},
    )


def build_folder(path: Path | str) -> Path:
    """The processed folder of a build given as a folder or as its ``build.json``."""
    path = Path(path)
    return path.parent if path.name == RECORD else path


def read_build(path: Path | str) -> dict[str, pd.DataFrame]:
    """The claims, estimates and conflicts of a build, as text columns (as written)."""
    from stats import disk
    from stats.errors import UserError

    folder = build_folder(path)
    tables = {}
    for name in ("claims", "estimates", "conflicts"):
        if not (folder / f"{name}.csv").is_file():
            raise UserError(f"{folder}: not a build ({name}.csv missing); run `make data`")
        tables[name] = disk.read_csv_text(folder / f"{name}.csv")
    return tables


def diff_inputs(old: dict, new: dict) -> dict[str, list[str]]:
    """Input files added, changed and removed between two build records."""
    a = {f"{k}/{p}": d for k, files in old.get("inputs", {}).items() for p, d in files.items()}
    b = {f"{k}/{p}": d for k, files in new.get("inputs", {}).items() for p, d in files.items()}
    return {
        "added": sorted(set(b) - set(a)),
        "changed": sorted(p for p in set(a) & set(b) if a[p] != b[p]),
        "removed": sorted(set(a) - set(b)),
    }


def diff_builds(old: Path | str, new: Path | str) -> BuildDiff:
    """Compare two builds (processed folders or their ``build.json``).

    Raises
    ------
    UserError
        When a folder is not a build.
    """
    d = diff_tables(read_build(old), read_build(new))
    records = [build_folder(p) / RECORD for p in (old, new)]
    if all(r.is_file() for r in records):
        d = BuildDiff(*list(d.tables().values()), diff_inputs(*map(read_record, records)))
    return d


def what_changed(folder: Path | str) -> dict | None:
    """For the report's "What changed" section: :meth:`BuildDiff.to_dict` of the build kept in
    ``<folder>/previous/`` against the build in *folder*; ``None`` when no earlier build is
    kept."""
    from stats.builds import PREVIOUS

    folder = Path(folder)
    if not (folder / PREVIOUS / "claims.csv").is_file():
        return None
    return diff_builds(folder / PREVIOUS, folder).to_dict()
