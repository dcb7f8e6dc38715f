"""The ``make data`` job: raw files -> validated ledger and derived tables in data/processed/.

Steps: verify checksums of every raw file; read every dataset folder ``data/raw/<dataset>/``
(each file by its layout); validate lazily; write ``claims.parquet``, ``claims.csv``,
``rejects.csv`` and ``events.csv``; then the derived tables. Every input row is accounted for:
``read == accepted + rejected`` per file and in total. Outputs are byte-identical between
rebuilds of the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from stats import config, io, schema
from stats.errors import UserError
from stats.ingest import Ingested
from stats.ingest.claims import read_claims_csv

#: Files that describe data rather than hold it (origin metadata, curation notes).
METADATA_SUFFIXES = (".yml", ".yaml", ".md", ".txt.meta", ".json")


@dataclass
class FileSummary:
    """What happened to one raw file."""

    file: str
    layout: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0


@dataclass
class Summary:
    """What ``make data`` did."""

    files: list[FileSummary] = field(default_factory=list)
    rejects: pd.DataFrame = field(default_factory=schema.empty_rejects)
    outputs: list[Path] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def by_reason(self) -> pd.Series:
        """Number of distinct rejected rows per reason."""
        r = self.rejects.drop_duplicates(["source_file", "source_row", "reason"])
        return r.groupby("reason", sort=True).size().sort_values(ascending=False, kind="stable")

    def text(self) -> str:
        lines = []
        w = max([len(f.file) for f in self.files] + [4])
        lines.append(f"{'file':<{w}}  {'layout':<8} {'read':>7} {'accepted':>9} {'rejected':>9}")
        for f in self.files:
            lines.append(
                f"{f.file:<{w}}  {f.layout:<8} {f.read:>7} {f.accepted:>9} {f.rejected:>9}"
            )
        lines.append(
            f"{'total':<{w}}  {'':<8} {self.read:>7} {self.accepted:>9} {self.rejected:>9}"
        )
        reasons = self.by_reason()
        if len(reasons):
            lines.append("rejected rows by reason:")
            lines += [f"  {n:>5}  {reason}" for reason, n in reasons.items()]
        lines.append(
            "wrote: "
            + ", ".join(
                str(p.relative_to(config.ROOT)) if p.is_relative_to(config.ROOT) else str(p)
                for p in self.outputs
            )
        )
        return "\n".join(lines)


def _layout(path: Path, raw: Path) -> str:
    """Name the layout of a raw file: claims, events, capture, text, metadata or other."""
    rel = path.relative_to(raw)
    if path.name.endswith(METADATA_SUFFIXES) or path.name in ("README", "LICENSE"):
        return "metadata"
    if "texts" in rel.parts[:-1] and path.suffix == ".txt":
        return "text"
    if path.suffix.lower() != ".csv":
        return "other"
    if path.name == "events.csv":
        return "events"
    from stats.ingest.tabular import read_records

    records = read_records(path, 1)
    cols = {c.strip() for c in records[0]} if records else set()
    if set(schema.REQUIRED_INPUT) <= cols:
        return "claims"
    if "count" in cols and len(cols) >= 3:
        return "capture"
    return "other"


def read_events(path: Path, dataset: str) -> pd.DataFrame:
    """Read ``events.csv`` (date, event, location, source, url) as a validated Events table."""
    from stats.parse import parse_dates

    df = io.read_csv_text(path)
    expected = ["date", "event", "location", "source", "url"]
    missing = [c for c in ("date", "event") if c not in df]
    unexpected = [c for c in df if c not in expected]
    if missing or unexpected:
        raise UserError(
            f"{path}: expected columns {', '.join(expected)}; found {', '.join(df.columns)}"
        )
    dates, bad = parse_dates(df["date"])
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise UserError(
            f"{path}, row {i + 2}, column date: {df['date'].iloc[i]!r} is not a "
            "date (expected YYYY-MM-DD)"
        )
    out = pd.DataFrame({"dataset": pd.Series(dataset, index=df.index, dtype="str"), "date": dates})
    for c in expected[1:]:
        out[c] = (
            df[c].astype("str").where(df[c].notna())
            if c in df
            else pd.Series(pd.NA, index=df.index, dtype="str")
        )
    return schema.Events.validate(out)


def ingest_file(path: Path, raw: Path = config.RAW) -> Ingested | None:
    """Read one raw file into Claims by its layout; ``None`` for files that hold no claims."""
    name = path.relative_to(raw).as_posix()
    layout = _layout(path, raw)
    if layout == "claims":
        return read_claims_csv(path, name=name)
    if layout in ("metadata", "events", "capture"):
        return None
    if layout == "text":
        from stats.ingest.text import read_text_file

        return read_text_file(path, name=name)
    from stats.ingest.detect import read_any

    return read_any(path, name=name)


def build(raw: Path = config.RAW, out: Path = config.PROCESSED, verify: bool = True) -> Summary:
    """Rebuild ``out`` from ``raw``; return what was read, accepted and rejected."""
    files = io.verify_checksums(raw) if verify else io.raw_files(raw)
    summary = Summary()
    claims, rejects, events = [], [], []
    for path in files:
        name = path.relative_to(raw).as_posix()
        layout = _layout(path, raw)
        if layout == "events":
            events.append(read_events(path, dataset=path.relative_to(raw).parts[0]))
            continue
        got = ingest_file(path, raw)
        if got is None:
            continue
        if not got.accounted:
            raise RuntimeError(
                f"{name}: rows not accounted for ({got.n_read} read, "
                f"{len(got.claims)} accepted, {got.n_rejected} rejected)"
            )
        summary.files.append(
            FileSummary(
                name,
                got.layout,
                got.n_read,
                getattr(got, "n_accepted", len(got.claims)),
                got.n_rejected,
            )
        )
        claims.append(got.claims)
        rejects.append(got.rejects)

    all_claims = pd.concat(claims, ignore_index=True) if claims else schema.empty_claims()
    all_rejects = pd.concat(rejects, ignore_index=True) if rejects else schema.empty_rejects()
    all_claims, dup_rejects = _cross_file_duplicates(all_claims)
    if len(dup_rejects):
        all_rejects = pd.concat([all_rejects, dup_rejects], ignore_index=True)
        for f in summary.files:
            n = int(dup_rejects.loc[dup_rejects["source_file"] == f.file, "source_row"].nunique())
            f.accepted -= n
            f.rejected += n
    all_claims = schema.Claims.validate(
        all_claims.sort_values(["source_file", "source_row"], kind="stable").reset_index(drop=True)
    )
    all_rejects = schema.Rejects.validate(
        all_rejects.sort_values(["source_file", "source_row", "column"], kind="stable").reset_index(
            drop=True
        )
    )
    summary.rejects = all_rejects

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary.outputs += [
        io.write_parquet(all_claims, out / "claims.parquet"),
        io.write_csv(all_claims, out / "claims.csv"),
        io.write_csv(all_rejects, out / "rejects.csv"),
    ]
    if events:
        ev = pd.concat(events, ignore_index=True).sort_values(["dataset", "date"], kind="stable")
        summary.outputs.append(io.write_csv(ev, out / "events.csv"))
    summary.outputs += derive(all_claims, out)
    return summary


#: Reconciliation rule and interpolation method of the shipped derived tables.
DERIVE_RULE = "conservative"
DERIVE_METHOD = "pchip"


def derive_tables(
    claims: pd.DataFrame, known_on=None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Estimates, Daily and Conflicts from a ledger, as known on a date: dedupe, reconcile
    (:data:`DERIVE_RULE`), interpolate (:data:`DERIVE_METHOD`) from each series' start to
    ``known_on`` (or the last publication date), days after a series' last report being a
    nowcast; then the eventual-toll estimates (:mod:`stats.estimate.delay`) from the claims
    published by ``known_on``."""
    from stats.dedupe import dedupe
    from stats.estimate.delay import add_eventual_estimates
    from stats.interpolate import empty_daily, interpolate
    from stats.reconcile import reconcile

    estimates, conflicts = reconcile(dedupe(claims), known_on=known_on, rule=DERIVE_RULE)
    if estimates.empty:
        return estimates, add_eventual_estimates(empty_daily(), claims), conflicts
    end = pd.Timestamp(known_on) if known_on is not None else claims["published"].max()
    claims_known = claims if known_on is None else claims[claims["published"] <= end]
    daily = interpolate(estimates, start=None, end=end, method=DERIVE_METHOD)
    return estimates, add_eventual_estimates(daily, claims_known), conflicts


def derive(claims: pd.DataFrame, out: Path) -> list[Path]:
    """Write the tables derived from the ledger: ``estimates.csv``, ``daily.csv`` and
    ``conflicts.csv`` (validated; byte-identical for the same ledger)."""
    estimates, daily, conflicts = derive_tables(claims)
    out = Path(out)
    return [
        io.write_csv(schema.Estimates.validate(estimates), out / "estimates.csv"),
        io.write_csv(schema.Daily.validate(daily), out / "daily.csv"),
        io.write_csv(schema.Conflicts.validate(conflicts), out / "conflicts.csv"),
    ]


def _cross_file_duplicates(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claim ids must be unique across files: reject every row of a shared id."""
    dup = claims["claim_id"].duplicated(keep=False)
    if not dup.any():
        return claims, schema.empty_rejects()
    d = claims.loc[dup]
    files = d.groupby("claim_id")["source_file"].agg(lambda s: ", ".join(sorted(set(s))))
    rej = pd.DataFrame(
        {
            "source_file": d["source_file"].astype("str").to_numpy(),
            "source_row": d["source_row"].astype("Int64").to_numpy(),
            "column": pd.Series("claim_id", index=range(len(d)), dtype="str"),
            "value": d["claim_id"].astype("str").to_numpy(),
            "reason": ("duplicate claim_id across files: also in " + d["claim_id"].map(files))
            .astype("str")
            .to_numpy(),
        }
    )
    return claims.loc[~dup].reset_index(drop=True), rej
