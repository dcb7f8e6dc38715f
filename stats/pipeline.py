"""The ``make data`` job, per dataset: raw files -> validated ledger and derived tables in
``data/processed/<dataset>/``.

Steps: verify checksums of every raw file; per dataset folder ``data/raw/<dataset>/`` (described
by ``data/hand/<dataset>/dataset.yml``, :mod:`stats.datasets`), read each file by its layout,
validated lazily; write ``claims.parquet``, ``claims.csv``, ``rejects.csv`` and ``events.csv``;
then the derived tables (dedupe, reconcile, interpolate from the dataset's ``start``), each
dataset alone. Every input row is accounted for: ``read == accepted + rejected`` per file and
in total. Outputs are byte-identical between rebuilds of the same inputs, and each dataset's
are written together (:func:`stats.disk.staged_folder`): an interrupted or failed build leaves
the previous outputs as they were. A file in no layout the pipeline reads is skipped with a
note, and places outside the vocabulary are listed with the nearest known name, in the build
summary.

:func:`build_known_on` writes the derived tables as they could have been made on a past day,
for the report of that day (outputs never rerun the pipeline).

Claims read by a machine (the extractor, from ``texts/``) are candidates
(:mod:`stats.candidates`): only those an analyst accepted or corrected in
``data/hand/<dataset>/decisions.csv`` join the ledger; the queue is written as
``candidates.csv``. With ``include_unreviewed`` the pending ones are also let in, marked, in
a separate ``with-unreviewed/`` folder. Each build records its inputs and headline numbers in
``build.json`` and keeps the build it replaced in ``previous/`` (:mod:`stats.builds`). Lists
of named victims (``data/raw/<dataset>/lists/*.csv``) go to ``victims.parquet``,
``victims.csv`` and ``victim_rejects.csv``, written when there are any.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import pandas as pd

from stats import builds, config, contract, disk, vocab
from stats.candidates import MACHINE_LAYOUTS, Review, read_decisions, review_candidates
from stats.datasets import Dataset, known_on_folder, load, processed_datasets, read_dataset
from stats.errors import SchemaError, UserError
from stats.ingest import Ingested
from stats.ingest.claims import read_claims_csv

#: The folder of a dataset's build with its pending candidates let in (``--include-unreviewed``).
UNREVIEWED_FOLDER = "with-unreviewed"
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
    rejects: pd.DataFrame = field(default_factory=contract.empty_rejects)
    outputs: list[Path] = field(default_factory=list)
    #: Raw files not read, with the reason.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Places outside the vocabulary: ``place``, ``claims``, ``nearest`` (see
    #: :func:`unknown_places`).
    unknown_places: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["place", "claims", "nearest"])
    )
    #: per dataset: candidates in the review queue, by status (:meth:`Review.counts`)
    review: dict[str, dict] = field(default_factory=dict)

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
        if self.skipped:
            lines.append("skipped files:")
            lines += [f"  {name}: {why}" for name, why in self.skipped]
        if len(self.unknown_places):
            lines.append("places not in the vocabulary (stats vocab places):")
            for r in self.unknown_places.itertuples(index=False):
                hint = f"; did you mean {r.nearest!r}?" if isinstance(r.nearest, str) else ""
                lines.append(f"  {r.claims:>5}  {r.place!r}{hint}")
        for name, n in self.review.items():
            if n["candidates"]:
                lines.append(
                    f"{name}: {n['pending']} of {n['candidates']} candidates wait for review "
                    f"(`python -m stats review {name}`); {n['accepted']} accepted, "
                    f"{n['corrected']} corrected, {n['rejected']} rejected"
                )
        lines.append("wrote: " + ", ".join(shown(p) for p in self.outputs))
        return "\n".join(lines)


def shown(path: Path) -> str:
    """A path as printed: relative to the repository when inside it."""
    return str(path.relative_to(config.ROOT)) if path.is_relative_to(config.ROOT) else str(path)


#: The layouts of :mod:`stats.ingest.detect` that the pipeline reads besides its own.
EVENT_LAYOUTS = ("acled", "ucdp", "hxl", "dtm")


def _layout(path: Path, raw: Path) -> str:
    """Name the layout of a raw file: claims, events, capture, text, victims, metadata, one
    of :data:`EVENT_LAYOUTS`, or other (a file the pipeline does not read)."""
    rel = path.relative_to(raw)
    if path.name.endswith(METADATA_SUFFIXES) or path.name in ("README", "LICENSE"):
        return "metadata"
    if "lists" in rel.parts[:-1] and path.suffix.lower() == ".csv":
        return "victims"
    if "texts" in rel.parts[:-1] and path.suffix.lower() in (".txt", ".html", ".htm", ".pdf"):
        return "text"
    if path.suffix.lower() != ".csv":
        return "other"
    if path.name == "events.csv":
        return "events"
    from stats.disk import read_head

    records = read_head(path, 1)
    cols = {c.strip() for c in records[0]} if records else set()
    if set(contract.REQUIRED_INPUT) <= cols:
        return "claims"
    if "count" in cols and len(cols) >= 3:
        return "capture"
    from stats.ingest.detect import detect_layout

    try:
        return detect_layout(path, rel.as_posix())
    except SchemaError:
        return "other"


def read_events(path: Path, dataset: str) -> pd.DataFrame:
    """Read ``events.csv`` (date, event, location, source, url) as a validated Events table."""
    from stats.parse import parse_dates

    df = disk.read_csv_text(path)
    expected = ["date", "event", "location", "source", "url"]
    missing = [c for c in ("date", "event") if c not in df]
    unexpected = [c for c in df if c not in expected]
    if missing or unexpected:
        raise UserError(
            f"{path}: expected columns {', '.join(expected)}; found {', '.join(df.columns)}"
        )
    parsed = parse_dates(df["date"])
    dates, bad = parsed.values, parsed.bad
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
    return contract.Events.validate(out)


def ingest_file(path: Path, raw: Path = config.RAW) -> Ingested | None:
    """Read one raw file into Claims by its layout; ``None`` for files that hold no claims."""
    name = path.relative_to(raw).as_posix()
    layout = _layout(path, raw)
    if layout == "claims":
        return read_claims_csv(path, name=name)
    if layout in ("metadata", "events", "capture", "victims"):
        return None
    if layout == "text":
        from stats.extract import read_text_file

        return read_text_file(path, name=name)
    if layout not in EVENT_LAYOUTS:
        return None
    from stats.ingest.detect import read_any

    return read_any(path, name=name, layout=layout)


def _dataset_of(path: Path, raw: Path) -> str | None:
    """The dataset folder a raw file is in (``None`` for a file directly under raw)."""
    parts = path.relative_to(raw).parts
    return parts[0] if len(parts) > 1 else None


def read_folder(
    paths: list[Path], raw: Path, skipped: list[tuple[str, str]]
) -> tuple[list[FileSummary], list, list, list, list]:
    """Read the raw files of one dataset: per file what happened, and the claims, rejects,
    events and victim lists read; files in no layout the pipeline reads are added to
    *skipped*."""
    files, claims, rejects, events, victims = [], [], [], [], []
    for path in paths:
        name = path.relative_to(raw).as_posix()
        layout = _layout(path, raw)
        if layout == "events":
            events.append(read_events(path, dataset=path.relative_to(raw).parts[0]))
            continue
        if layout == "other":
            skipped.append((name, SKIP_NOTE))
            continue
        if layout == "victims":
            from stats.ingest.victims import read_victims

            victims.append(read_victims(path, name=name))
        got = victims[-1] if layout == "victims" else ingest_file(path, raw)
        if got is None:
            continue
        if not got.accounted:
            raise RuntimeError(
                f"{name}: rows not accounted for ({got.n_read} read, "
                f"{len(got.claims)} accepted, {got.n_rejected} rejected)"
            )
        accepted = getattr(got, "n_accepted", None)
        accepted = len(got.claims) if accepted is None else accepted
        files.append(FileSummary(name, got.layout, got.n_read, accepted, got.n_rejected))
        if layout != "victims":
            claims.append(got.claims)
            rejects.append(got.rejects)
    return files, claims, rejects, events, victims


def ledger(
    files: list[FileSummary], claims: list, rejects: list
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One dataset's validated Claims and Rejects from the tables of its files: a claim id
    shared by two files rejects both rows (the file summaries are corrected)."""
    all_claims = pd.concat(claims, ignore_index=True) if claims else contract.empty_claims()
    all_rejects = pd.concat(rejects, ignore_index=True) if rejects else contract.empty_rejects()
    all_claims, dup_rejects = _cross_file_duplicates(all_claims)
    if len(dup_rejects):
        all_rejects = pd.concat([all_rejects, dup_rejects], ignore_index=True)
        for f in files:
            n = int(dup_rejects.loc[dup_rejects["source_file"] == f.file, "source_row"].nunique())
            f.accepted -= n
            f.rejected += n
    all_claims = contract.Claims.validate(
        all_claims.sort_values(["source_file", "source_row"], kind="stable").reset_index(drop=True)
    )
    all_rejects = contract.Rejects.validate(
        all_rejects.sort_values(["source_file", "source_row", "column"], kind="stable").reset_index(
            drop=True
        )
    )
    return all_claims, all_rejects


def write_dataset(
    dataset: Dataset,
    claims: pd.DataFrame,
    rejects: pd.DataFrame,
    events: list,
    out: Path,
    queue: pd.DataFrame | None = None,
    victims: list | None = None,
    record=None,
) -> list[Path]:
    """Write one dataset's tables to *out* (``data/processed/<dataset>/``): the ledger, its
    rejects, its events (an empty table if it has none), the review queue (when given), the
    derived tables and, when *record* is given (a function of the files written), the build
    record ``build.json`` -- all together (:func:`stats.disk.staged_folder`), so that the
    record never describes other tables than those beside it."""
    ev = (
        pd.concat(events, ignore_index=True).sort_values(["dataset", "date"], kind="stable")
        if events
        else contract.empty(contract.Events)
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with disk.staged_folder(out) as stage:
        written = [
            disk.write_parquet(claims, stage / "claims.parquet"),
            disk.write_csv(claims, stage / "claims.csv"),
            disk.write_csv(rejects, stage / "rejects.csv"),
            disk.write_csv(ev, stage / "events.csv"),
            *([disk.write_csv(queue, stage / "candidates.csv")] if queue is not None else []),
            *(write_victims(victims, stage) if victims else []),
            *derive(claims, stage, start=dataset.start),
        ]
        if record is not None:
            written.append(builds.write_record(record(written), stage))
    return [out / p.name for p in written]


def decisions_name(dataset: str) -> str:
    """How a dataset's decisions file is named in Rejects."""
    return f"data/hand/{dataset}/decisions.csv"


def write_reviewed(
    dataset: Dataset,
    review: Review,
    rejects: pd.DataFrame,
    events: list,
    out: Path,
    inputs: dict,
    include_unreviewed: bool = False,
    victims: list | None = None,
) -> list[Path]:
    """Write a dataset's reviewed build to *out* with its ``build.json``, keeping the build
    it replaces in ``previous/``; with *include_unreviewed*, also the build that lets the
    pending candidates in (marked in ``note``) to ``out/with-unreviewed/``."""
    counts = {"claims": len(review.ledger), "rejects": len(rejects), "review": review.counts()}

    def record(counts, include_unreviewed):
        return lambda files: builds.record(dataset.name, inputs, files, counts, include_unreviewed)

    with builds.keeping_previous(out):
        written = write_dataset(
            dataset, review.ledger, rejects, events, out, review.queue, victims,
            record=record(counts, include_unreviewed=False),
        )  # fmt: skip
    if include_unreviewed:
        both = pd.concat([review.ledger, review.unreviewed], ignore_index=True)
        both = contract.Claims.validate(
            both.sort_values(["source_file", "source_row"], kind="stable").reset_index(drop=True)
        )
        folder = out / UNREVIEWED_FOLDER
        counts = {**counts, "claims": len(both), "unreviewed_included": len(review.unreviewed)}
        written += write_dataset(
            dataset, both, rejects, events, folder, review.queue,
            record=record(counts, include_unreviewed=True),
        )  # fmt: skip
    return written


def build(
    raw: Path = config.RAW,
    out: Path = config.PROCESSED,
    verify: bool = True,
    hand: Path | None = None,
    include_unreviewed: bool = False,
) -> Summary:
    """Rebuild ``out/<dataset>/`` for every dataset of ``raw``; return what was read,
    accepted and rejected.

    Each folder of *raw* whose files hold claims or events is a dataset, described by
    ``<hand>/<dataset>/dataset.yml`` (*hand* defaults to the ``hand`` folder beside *raw*:
    ``data/hand/``) and reconciled alone. Folders holding neither (list captures for
    ``mse``, notes) are checked against their checksums only. Machine-read claims join the
    ledger only as the analysts decided (:mod:`stats.candidates`); *include_unreviewed*
    also writes ``<out>/<dataset>/with-unreviewed/`` with the pending ones let in.

    Raises
    ------
    UserError
        For a dataset without a valid ``dataset.yml``, or claims in a file directly under
        *raw* (they belong in a dataset folder).
    """
    raw = Path(raw)
    hand = Path(hand) if hand is not None else raw.parent / "hand"
    files = disk.verify_checksums(raw) if verify else disk.raw_files(raw)
    summary = Summary()
    rejects, places = [], []
    for name, group in groupby(files, key=lambda p: _dataset_of(p, raw)):
        paths = list(group)
        read, claims, rej, events, victims = read_folder(paths, raw, summary.skipped)
        if not (read or events):
            continue
        if name is None:
            raise UserError(
                f"{raw}/{read[0].file}: raw files go in a dataset folder, data/raw/<dataset>/"
            )
        dataset = read_dataset(name, hand)
        claims, rej = ledger(read, claims, rej)
        machine = [f.file for f in read if f.layout in MACHINE_LAYOUTS]
        decisions = read_decisions(hand / name / "decisions.csv")
        review = review_candidates(claims, machine, decisions, raw, decisions_name(name))
        rej = contract.Rejects.validate(pd.concat([rej, review.rejects], ignore_index=True))
        summary.files += read
        summary.review[name] = review.counts()
        rejects.append(rej)
        # the places of the reviewed ledger and of the candidates still waiting (a place a
        # reviewer corrected is not a place of the data)
        places += [review.ledger["location"], review.unreviewed["location"]]
        inputs = builds.input_checksums(paths, raw, hand, name)
        summary.outputs += write_reviewed(
            dataset, review, rej, events, Path(out) / name, inputs, include_unreviewed, victims
        )
    if rejects:
        summary.rejects = pd.concat(rejects, ignore_index=True)
        summary.unknown_places = unknown_places(pd.concat(places, ignore_index=True))
    return summary


#: Why a raw file in no known layout is skipped.
SKIP_NOTE = (
    "skipped: not a layout the pipeline reads (a Claims CSV, events.csv, a capture table, "
    "texts/*.txt, .html or .pdf, ACLED, UCDP, HXL or DTM CSV, or metadata)"
)


def unknown_places(locations: pd.Series) -> pd.DataFrame:
    """Places outside the vocabulary (``stats.vocab.PLACES``), with the number of claims and
    the nearest known name or alias (:func:`difflib.get_close_matches`), as its canonical name.

    Examples
    --------
    >>> unknown_places(pd.Series(["Alepo", "Aleppo", "Alepo", None])).values.tolist()
    [['Alepo', 2, 'Aleppo']]
    """
    known = set(vocab.PLACES["name"])
    s = locations.dropna().astype("str")
    counts = s[~s.isin(known)].value_counts().sort_index()
    aliases = vocab.PLACES["aliases"].dropna().str.split("|").explode()
    names = sorted(known | set(aliases[aliases != ""]))
    nearest = [
        next(iter(difflib.get_close_matches(p, names, n=1, cutoff=0.8)), None) for p in counts.index
    ]
    return pd.DataFrame(
        {
            "place": counts.index.astype("str"),
            "claims": counts.to_numpy(dtype="int64"),
            "nearest": [vocab.canonical_place(m) if m else None for m in nearest],
        }
    )


def write_victims(lists: list, out: Path) -> list[Path]:
    """Write the victim lists read (``VictimsIngested``) as ``victims.parquet``,
    ``victims.csv`` and ``victim_rejects.csv``; ``(list, record_id)`` must be unique across
    files (two files naming the same list must not reuse record ids)."""
    from stats.victims import VictimRecords

    records = pd.concat([g.records for g in lists], ignore_index=True)
    clash = records.duplicated(["list", "record_id"], keep=False)
    if clash.any():
        row = records.loc[clash].iloc[0]
        raise UserError(
            f"{row['source_file']}, row {row['source_row']}: record_id {row['record_id']!r} "
            f"of list {row['list']!r} is also in another file (list names are the file names "
            "unless a list column says otherwise)"
        )
    records = VictimRecords.validate(records)
    rejects = contract.Rejects.validate(pd.concat([g.rejects for g in lists], ignore_index=True))
    return [
        disk.write_parquet(records, out / "victims.parquet"),
        disk.write_csv(records, out / "victims.csv"),
        disk.write_csv(rejects, out / "victim_rejects.csv"),
    ]


#: Reconciliation rule and interpolation method of the shipped derived tables.
DERIVE_RULE = "median"
DERIVE_METHOD = "pchip"


def derive_tables(
    claims: pd.DataFrame, known_on=None, start=None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Estimates, Daily and Conflicts from a ledger, as known on a date: dedupe, reconcile
    (:data:`DERIVE_RULE`) with every series counted from ``start`` (the dataset's start; see
    :func:`stats.reconcile.reconcile` for ``None``), interpolate (:data:`DERIVE_METHOD`) from
    each series' start to ``known_on`` (or the last publication date), days after a series'
    last report being a nowcast; then the eventual-toll estimates (:mod:`stats.estimate.delay`)
    from the claims published by ``known_on``."""
    from stats.estimate.delay import add_eventual_estimates
    from stats.interpolate import empty_daily, interpolate
    from stats.reconcile import reconcile

    estimates, conflicts = reconcile(claims, known_on=known_on, rule=DERIVE_RULE, start=start)
    if estimates.empty:
        return estimates, add_eventual_estimates(empty_daily(), claims, start=start), conflicts
    end = pd.Timestamp(known_on) if known_on is not None else claims["published"].max()
    claims_known = claims if known_on is None else claims[claims["published"] <= end]
    daily = interpolate(estimates, start=start, end=end, method=DERIVE_METHOD)
    return estimates, add_eventual_estimates(daily, claims_known, start=start), conflicts


def derive(claims: pd.DataFrame, out: Path, known_on=None, start=None) -> list[Path]:
    """Write the tables derived from the ledger: ``estimates.csv``, ``daily.csv`` and
    ``conflicts.csv`` (validated; byte-identical for the same ledger)."""
    estimates, daily, conflicts = derive_tables(claims, known_on=known_on, start=start)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [
        disk.write_csv(contract.Estimates.validate(estimates), out / "estimates.csv"),
        disk.write_csv(contract.Daily.validate(daily), out / "daily.csv"),
        disk.write_csv(contract.Conflicts.validate(conflicts), out / "conflicts.csv"),
    ]


def build_known_on(
    known_on,
    datasets: list[str] | None = None,
    processed: Path = config.PROCESSED,
    hand: Path | None = None,
) -> list[Path]:
    """Write the derived tables of each dataset as they could have been made on *known_on*
    (from its processed claims published by then) to
    ``<processed>/<dataset>/as-known-on-YYYY-MM-DD/``, for the report of that day.

    Raises
    ------
    UserError
        When a dataset has not been built, or has no claim published by then.
    """
    processed = Path(processed)
    hand = Path(hand) if hand is not None else config.HAND
    day = pd.Timestamp(known_on)
    written = []
    for name in datasets if datasets is not None else processed_datasets(processed):
        claims = load("claims", dataset=name, processed=processed)
        early = claims[claims["published"] <= day].reset_index(drop=True)
        if early.empty:
            raise UserError(
                f"--known-on {day:%Y-%m-%d}: no claim of {name!r} was published by then "
                f"(the first was published on {claims['published'].min():%Y-%m-%d})"
            )
        folder = known_on_folder(processed / name, day)
        written += derive(early, folder, known_on=day, start=read_dataset(name, hand).start)
    return written


def _cross_file_duplicates(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claim ids must be unique across files: reject every row of a shared id."""
    dup = claims["claim_id"].duplicated(keep=False)
    if not dup.any():
        return claims, contract.empty_rejects()
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
