"""The review queue: figures a machine read are *candidates* until an analyst decides.

Claims read by a machine reader (the extractor, from ``data/raw/<dataset>/texts/``; the
layouts in :data:`MACHINE_LAYOUTS`) do not go straight into the ledger. ``make data`` writes
them as a queue, ``data/processed/<dataset>/candidates.csv``: each candidate with its id (the
extracted claim's ``claim_id``, a hash of its fields), its fields, its sentence and paragraph,
the extractor's ``inferred`` flags when the extractor gives them, and the ledger claims it
would duplicate. The analyst decides in ``python -m stats review`` (:mod:`stats.review`);
decisions are appended to ``data/hand/<dataset>/decisions.csv`` (:class:`Decisions`) and
applied here, deterministically, on every build:

* ``accept`` -- the candidate joins the ledger as a claim, as read;
* ``correct`` -- it joins with the corrected fields (one decision row per field; ``low``,
  ``high`` and ``rule`` follow from a corrected value or qualifier by the qualifier rules,
  unless corrected too);
* ``reject`` -- it stays out of the ledger (a reason is required).

The last decision for a candidate wins (the file is append-only, so the last is the latest).
A candidate without a decision is *pending*: it stays out of the estimates unless the build
asks for it (``--include-unreviewed``), and then it is marked in ``note``. A decision naming
no current candidate, or a correction the contract rejects, is a row of Rejects naming the
decisions file, row, column and reason; nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from stats import contract
from stats.errors import UserError

#: Layouts whose claims are machine-read (:func:`stats.pipeline.ingest_file`): candidates.
MACHINE_LAYOUTS = frozenset({"text"})
#: What an analyst can decide.
ACTIONS = ("accept", "reject", "correct")
#: Fields a correction may set (role ``correctable`` in the Claims model).
CORRECTABLE: tuple[str, ...] = contract.fields(contract.Claims, "correctable")
#: The status of a candidate after its last decision (``pending``: none yet).
STATUS = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}
#: The column in which the extractor flags the fields it inferred (when it gives one).
INFERRED = "inferred"
#: Note on a pending claim let into a build by ``--include-unreviewed``.
UNREVIEWED_NOTE = "UNREVIEWED: machine-read figure, not yet reviewed by an analyst"
#: Joiner of claim ids in ``duplicates`` (as in Estimates' ``claim_ids``).
SEP = ";"


class Decisions(pa.DataFrameModel):
    """``data/hand/<dataset>/decisions.csv``: one row per decision (a correction: one row
    per corrected field, sharing the ``decision_id``), appended in the order made."""

    decision_id: Series[str] = pa.Field(description="D1, D2, ... in the order made")
    candidate_id: Series[str] = pa.Field(description="the candidate decided on")
    action: Series[str] = pa.Field(isin=list(ACTIONS))
    field: Series[str] = pa.Field(nullable=True, isin=list(CORRECTABLE))
    value: Series[str] = pa.Field(nullable=True, description="the corrected value")
    reason: Series[str] = pa.Field(nullable=True, description="why (required to reject)")
    reviewer: Series[str] = pa.Field(description="who decided")
    decided_at: Series[str] = pa.Field(
        str_matches=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", description="when (UTC)"
    )

    @pa.dataframe_check
    def reject_has_reason(cls, df: pd.DataFrame) -> pd.Series:
        """A rejection says why."""
        return (df["action"] != "reject") | df["reason"].fillna("").str.strip().ne("")

    @pa.dataframe_check
    def correction_names_field(cls, df: pd.DataFrame) -> pd.Series:
        """A correction names its field; accept and reject name none."""
        return (df["action"] == "correct") == df["field"].notna()

    class Config:
        strict = True
        ordered = True


#: The row checks of :class:`Decisions`: the column each concerns and what it expects.
ROW_CHECKS = {
    "reject_has_reason": ("reason", "a rejection needs a reason"),
    "correction_names_field": ("field", "a correction names its field, accept and reject none"),
}
#: Columns of ``decisions.csv``, in order.
DECISION_COLUMNS: tuple[str, ...] = contract.columns(Decisions)


@dataclass(frozen=True)
class Review:
    """What the decisions made of a dataset's candidates."""

    ledger: pd.DataFrame
    queue: pd.DataFrame
    rejects: pd.DataFrame
    unreviewed: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Candidates in total and per status (``pending`` = waiting for review)."""
        by = self.queue["status"].value_counts()
        out = {"candidates": int(len(self.queue))}
        out.update({s: int(by.get(s, 0)) for s in ("pending", *STATUS.values())})
        return out


def read_decisions(path: Path) -> pd.DataFrame:
    """Read and check ``decisions.csv`` (an empty table when the file does not exist).

    Raises
    ------
    UserError
        For unexpected columns or a row that breaks :class:`Decisions` (file, row, column).
    """
    from stats import disk

    if not path.exists():
        return contract.empty(Decisions)
    df = disk.read_csv_text(path)
    if tuple(df.columns) != DECISION_COLUMNS:
        raise UserError(
            f"{path}: expected the columns {', '.join(DECISION_COLUMNS)}; "
            f"found {', '.join(df.columns)}"
        )
    try:
        return Decisions.validate(df.astype("str").where(df.notna()), lazy=True)
    except pa.errors.SchemaErrors as exc:
        case = exc.failure_cases.iloc[0]
        row = "" if pd.isna(case["index"]) else f", row {int(case['index']) + 2}"
        col, what = ROW_CHECKS.get(str(case["check"]), (case["column"], f"{case['check']} failed"))
        raise UserError(f"{path}{row}, column {col}: {what} ({case['failure_case']!r})") from None


def last_decisions(decisions: pd.DataFrame) -> pd.DataFrame:
    """The rows of each candidate's last decision (all field rows of a correction), with
    ``row``, their row in the file (header = row 1)."""
    d = decisions.assign(row=range(2, len(decisions) + 2))
    last = d.groupby("candidate_id", sort=False)["decision_id"].last()
    return d[d["decision_id"] == d["candidate_id"].map(last)].reset_index(drop=True)


def paragraphs(claims: pd.DataFrame, raw: Path) -> pd.Series:
    """The paragraph (line of the text file, as the extractor read it) of each claim read
    from text; the quote itself where the file cannot be read again."""
    from stats.extract.document import read_text_bytes, strip_html

    out = claims["quote"].astype("str")
    for name, rows in claims.groupby("source_file", sort=True, observed=True).groups.items():
        path = Path(raw) / str(name)
        if not path.is_file():
            continue
        lines = strip_html(read_text_bytes(path.read_bytes(), str(name))).split("\n")
        n = claims.loc[rows, "source_row"].astype(int)
        out.loc[rows] = [
            lines[i - 1] if 0 < i <= len(lines) else q for i, q in zip(n, out[rows], strict=True)
        ]
    return out


def duplicates(candidates: pd.DataFrame, ledger: pd.DataFrame) -> pd.Series:
    """Per candidate, the ledger claims (``;``-joined ids) :func:`stats.dedupe.dedupe` would
    merge it with: the same figure from the same counter."""
    from stats.dedupe import dedupe

    ids = set(candidates["claim_id"])
    if not ids:
        return pd.Series([], dtype="str")
    others = ledger[~ledger["claim_id"].isin(ids)]
    groups = dedupe(pd.concat([others, candidates], ignore_index=True))["merged_ids"]
    in_ledger = set(others["claim_id"])
    found = {}
    for group in (g for g in groups if len(g) > 1):
        known = sorted(i for i in group if i in in_ledger)
        for i in group:
            if i in ids and known:
                found[i] = SEP.join(known)
    return candidates["claim_id"].map(found).astype("str")


def corrected_row(candidate: pd.Series, fields: pd.DataFrame) -> pd.DataFrame:
    """The candidate as one row of text with the corrected *fields* (rows of
    ``decisions.csv``) written in: ``low``, ``high`` and ``rule`` are cleared when the value or
    qualifier is corrected and they are not (the qualifier rules derive them again)."""
    row = candidate.to_frame().T.reset_index(drop=True)
    for c in contract.DATE_COLUMNS:
        row[c] = pd.to_datetime(row[c]).dt.strftime("%Y-%m-%d")
    row = row.astype("str").where(row.notna())
    stated = set(fields["field"])
    if stated & {"value", "qualifier"}:
        row[[c for c in ("low", "high", "rule") if c not in stated]] = None
    for f, v in zip(fields["field"], fields["value"], strict=True):
        row[f] = v
    return row[list(contract.CLAIMS_COLUMNS)]


def correct_all(
    corrections: list[tuple[pd.Series, pd.DataFrame]], source: str
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Each (candidate, corrected *fields*) of *corrections*, validated again as a claim, all
    in one pass of the contract: ``(claims, rejects)``, the claims of the corrections that
    passed (in order) and, per correction, its rejects naming the decision rows (empty when
    it passed)."""
    if not corrections:
        return contract.empty(contract.Claims), []
    rows = pd.concat([corrected_row(c, f) for c, f in corrections], ignore_index=True)
    valid, rej = contract.validate(rows)  # rejects' source_row: 2 + the correction's position
    out = []
    for k, (candidate, fields) in enumerate(corrections):
        mine = rej[rej["source_row"] == k + 2]
        at = dict(zip(fields["field"], fields["row"], strict=True))
        out.append(
            pd.DataFrame(
                {
                    "source_file": source,
                    "source_row": pd.array([at.get(c) for c in mine["column"]], dtype="Int64"),
                    "column": mine["column"].to_numpy(),
                    "value": mine["value"].to_numpy(),
                    "reason": ("correction of " + str(candidate["claim_id"]) + ": ")
                    + mine["reason"].to_numpy(dtype=object),
                }
            )
        )
    return valid, out


def correct(
    candidate: pd.Series, fields: pd.DataFrame, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The candidate with the corrected *fields* (rows of ``decisions.csv``), validated again
    as a claim: ``(claim, rejects)``, the rejects naming the decision rows."""
    valid, (rej,) = correct_all([(candidate, fields)], source)
    return valid, rej


def noted(claims: pd.DataFrame, note: pd.Series) -> pd.DataFrame:
    """*claims* with *note* appended to ``note`` (``"; "`` after an existing note)."""
    old = claims["note"]
    return claims.assign(note=old.where(old.isna(), old + "; ").fillna("") + note.to_numpy())


def decision_note(d: pd.Series, fields: list[str]) -> str:
    """How a decision is noted on the claim it let into the ledger."""
    what = f"corrected ({', '.join(fields)})" if fields else "accepted"
    return f"reviewed: {what} in {d['decision_id']} by {d['reviewer']} on {d['decided_at'][:10]}"


def unknown_rejects(last: pd.DataFrame, source: str) -> pd.DataFrame:
    """Rejects for decisions about candidates the build does not have."""
    return contract.rejects_frame(
        source,
        pd.Series(last["row"].to_numpy(), dtype="Int64"),
        "candidate_id",
        last["candidate_id"].reset_index(drop=True),
        "no such candidate in this build (its text or the extractor changed): decide again",
    )


def review_candidates(
    claims: pd.DataFrame, machine_files, decisions: pd.DataFrame, raw: Path, source: str
) -> Review:
    """Split a dataset's validated claims into the ledger and the review queue, applying the
    analysts' *decisions* (:func:`read_decisions`).

    Parameters
    ----------
    claims
        Every claim read for the dataset (a Claims table).
    machine_files
        The ``source_file`` names read by a machine reader: their claims are candidates.
    decisions
        The decisions (:class:`Decisions`), in the order made.
    raw
        The raw folder (the paragraphs are read from the text files again).
    source
        How the decisions file is named in Rejects.

    Returns
    -------
    Review
        ``ledger`` (curated claims and accepted or corrected candidates, in file order),
        ``queue`` (every candidate with its status), ``rejects`` (decisions that could not be
        applied) and ``unreviewed`` (pending candidates, noted as such).
    """
    is_cand = claims["source_file"].isin(set(machine_files))
    cands = claims[is_cand].reset_index(drop=True)
    last = last_decisions(decisions)
    known = last["candidate_id"].isin(set(cands["claim_id"]))
    rejects = [unknown_rejects(last[~known], source)]
    last = last[known]
    heads = last.drop_duplicates("decision_id").set_index("candidate_id")
    decided = cands["claim_id"].map(heads["action"].map(STATUS)).astype("object")
    status = decided.fillna("pending").astype("str")
    joined, corrections = {}, []
    for i in cands.index[status.isin(["accepted", "corrected"])]:
        d = heads.loc[cands.at[i, "claim_id"]]
        fields = last[last["decision_id"] == d["decision_id"]].dropna(subset=["field"])
        note = decision_note(d, list(fields["field"]))
        if len(fields):
            corrections.append((i, note, fields))
        else:
            joined[i] = (cands.loc[[i]], note)
    fixed, why = correct_all([(cands.loc[i], f) for i, _, f in corrections], source)
    passed = iter(range(len(fixed)))
    for (i, note, _), rej in zip(corrections, why, strict=True):
        if len(rej):
            rejects.append(rej)
            status.at[i] = "pending"
        else:
            joined[i] = (fixed.iloc[[next(passed)]], note)
    order = sorted(joined)  # in the candidates' order
    if order:
        rows = pd.concat([joined[i][0] for i in order], ignore_index=True)
        joined = [noted(rows, pd.Series([joined[i][1] for i in order]))]
    else:
        joined = []
    ledger = pd.concat([claims[~is_cand], *joined], ignore_index=True)
    ledger = contract.Claims.validate(
        ledger.sort_values(["source_file", "source_row"], kind="stable").reset_index(drop=True)
    )
    pending = cands[status == "pending"].reset_index(drop=True)
    unreviewed = noted(pending, pd.Series(UNREVIEWED_NOTE, index=pending.index))
    return Review(
        ledger,
        queue_table(cands, status, heads, raw, claims[~is_cand]),
        pd.concat(rejects, ignore_index=True),
        contract.Claims.validate(unreviewed),
    )


def queue_table(
    cands: pd.DataFrame, status: pd.Series, heads: pd.DataFrame, raw: Path, ledger: pd.DataFrame
) -> pd.DataFrame:
    """``candidates.csv``: each candidate's id, status and last decision, its fields, the
    extractor's ``inferred`` flags (when present), its paragraph and its duplicates."""
    ids = cands["claim_id"]
    last = heads.reindex(ids)
    out = pd.DataFrame(
        {
            "candidate_id": ids.astype("str"),
            "status": status.astype("str"),
            **{c: last[c].astype("str").to_numpy() for c in ("decision_id", "reviewer")},
            "decided_at": last["decided_at"].astype("str").to_numpy(),
            "reason": last["reason"].astype("str").to_numpy(),
        }
    )
    # every field as read, the extractor's ``inferred`` flags among them when it gives them
    out = pd.concat([out, cands.drop(columns=["claim_id"])], axis=1)
    out["paragraph"] = paragraphs(cands, raw).to_numpy()
    out["duplicates"] = duplicates(cands, ledger).to_numpy()
    return out
