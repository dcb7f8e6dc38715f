"""The disk layer: read raw inputs (checksum-verified), write processed tables, load them back.

Only this module, :mod:`stats.report` and the commands touch the disk. Raw files are never
written. Processed files are written deterministically (same inputs, byte-identical outputs):
CSV with ``\\n`` line ends, ISO dates and formula-neutralised text; Parquet through pyarrow.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pandas as pd

from stats import config
from stats.errors import ChecksumError, UserError

#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------------------------------------
# Checksums
# ---------------------------------------------------------------------------------------------
def sha256(path: Path) -> str:
    """SHA-256 hex digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_checksums(sums: Path = config.CHECKSUMS) -> dict[str, str]:
    """Parse a ``sha256sum``-format file into ``{relative path: digest}``."""
    if not sums.exists():
        raise ChecksumError(f"{sums}: missing; create it with `make checksums`")
    out = {}
    for i, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or len(parts[0]) != 64:
            raise ChecksumError(f"{sums}, line {i}: expected '<sha256>  <path>', got {line!r}")
        out[parts[1].lstrip("*").strip()] = parts[0].lower()
    return out


def raw_files(raw: Path = config.RAW) -> list[Path]:
    """Every file under the raw folder except the checksum list, sorted."""
    return sorted(
        p
        for p in raw.rglob("*")
        if p.is_file() and p.name != "SHA256SUMS" and not p.name.startswith(".")
    )


def verify_checksums(raw: Path = config.RAW) -> list[Path]:
    """Check every raw file against ``SHA256SUMS``; return the verified files.

    Raises
    ------
    ChecksumError
        Naming each file that changed, is missing, or is not listed.
    """
    listed = read_checksums(raw / "SHA256SUMS")
    present = {p.relative_to(raw).as_posix(): p for p in raw_files(raw)}
    problems = []
    for rel, digest in sorted(listed.items()):
        p = present.get(rel)
        if p is None:
            problems.append(f"{raw.name}/{rel}: listed in SHA256SUMS but missing")
        elif sha256(p) != digest:
            problems.append(
                f"{raw.name}/{rel}: changed (checksum differs from SHA256SUMS); "
                "raw files are immutable: add a new file instead"
            )
    for rel in sorted(set(present) - set(listed)):
        problems.append(f"{raw.name}/{rel}: not in SHA256SUMS (add it with `make checksums`)")
    if problems:
        raise ChecksumError("; ".join(problems))
    return [present[r] for r in sorted(listed)]


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (a BOM is dropped); undecodable bytes become U+FFFD so that the
    rows holding them can be rejected one by one. An empty input raises :class:`UserError`."""
    if not data.strip():
        raise UserError(f"{name}: the file is empty (expected a header row and data rows)")
    if b"\x00" in data[:8192]:
        raise UserError(f"{name}: binary file (NUL bytes): expected UTF-8 text")
    return data.decode("utf-8-sig", errors="replace")


def read_csv_text(path: Path | str, *, skiprows: int = 0, header: bool = True) -> pd.DataFrame:
    """Read a CSV as text columns, exactly as written (no type guessing, no NA guessing:
    only empty cells are missing).

    Raises
    ------
    UserError
        For an empty file, a binary file, or CSV that cannot be parsed (with the line).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from exc
    text = decode_text(data, str(path))
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skiprows=skiprows,
            header=0 if header else None,
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as exc:
        raise UserError(f"{path}: not valid CSV: {exc}") from exc
    except pd.errors.EmptyDataError as exc:
        raise UserError(f"{path}: no header row (expected CSV with a header)") from exc
    df.columns = [str(c).strip() for c in df.columns]
    return df


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Make text cells inert in spreadsheets: a cell starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return gets a leading apostrophe (OWASP CSV-injection advice).
    Numbers and dates are left alone. Does not mutate the input.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"q": ["=HYPERLINK(1)", "ok", None]}))["q"].tolist()
    ["'=HYPERLINK(1)", 'ok', nan]
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if (
            pd.api.types.is_string_dtype(s.dtype)
            or s.dtype == object
            or isinstance(s.dtype, pd.CategoricalDtype)
        ):
            t = s.astype("str")
            risky = t.str.startswith(FORMULA_PREFIXES) & s.notna()
            if risky.any():
                out[c] = t.where(~risky, "'" + t).where(s.notna())
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Deterministic CSV bytes: ISO dates, ``\\n`` line ends, formulas neutralised."""
    out = neutralise_formulas(df)
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c].dtype):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_csv(df: pd.DataFrame, path: Path | str) -> Path:
    """Write *df* as deterministic, formula-safe CSV; never under ``data/raw``."""
    path = _writable(path)
    path.write_bytes(to_csv_bytes(df))
    return path


def write_parquet(df: pd.DataFrame, path: Path | str) -> Path:
    """Write *df* as Parquet (pyarrow, zstd, no index); never under ``data/raw``."""
    path = _writable(path)
    df.reset_index(drop=True).to_parquet(path, engine="pyarrow", compression="zstd", index=False)
    return path


def _writable(path: Path | str) -> Path:
    path = Path(path).resolve()
    raw = config.RAW.resolve()
    if path == raw or raw in path.parents:
        raise UserError(f"{path}: refusing to write under data/raw (raw data is immutable)")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------------------------------
# Loading processed tables
# ---------------------------------------------------------------------------------------------
def load(name: str = "claims", processed: Path | str | None = None) -> pd.DataFrame:
    """Load a processed table by name (``claims``, ``rejects``, ``estimates``, ``daily``,
    ``conflicts``, ``events``), validated, with proper dtypes.

    Raises
    ------
    UserError
        When the table has not been built (run ``make data``) or the name is unknown.
    """
    from stats import schema

    folder = Path(processed) if processed is not None else config.PROCESSED
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    if parquet.exists():
        df = pd.read_parquet(parquet, engine="pyarrow")
    elif csv.exists():
        df = pd.read_csv(csv, keep_default_na=False, na_values=[""])
    else:
        raise UserError(f"{folder}/{name}: no such processed table; run `make data` first")
    validators = {"claims": schema.Claims, "rejects": schema.Rejects}
    extra = getattr(schema, "TABLE_MODELS", {})
    model = validators.get(name) or extra.get(name)
    if model is not None:
        df = _coerce_like(df, model)
        df = model.validate(df)
    return df


def _coerce_like(df: pd.DataFrame, model) -> pd.DataFrame:
    """Give CSV-read columns the model's dtypes (dates, nullable integers, text)."""
    from stats import vocab

    out = df.copy()
    schema = model.to_schema()
    for name, column in schema.columns.items():
        if name not in out:
            continue
        dtype = str(column.dtype)
        s = out[name]
        if "datetime" in dtype.lower() and not pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[name] = pd.to_datetime(s, format="%Y-%m-%d").astype("datetime64[ns]")
        elif dtype == "Int64" and str(s.dtype) != "Int64":
            out[name] = pd.array(s, dtype="Int64")
        elif dtype.startswith("str") and not isinstance(s.dtype, pd.StringDtype):
            out[name] = s.astype("str").where(s.notna())
        elif dtype == "category" and not isinstance(s.dtype, pd.CategoricalDtype):
            cats = {"metric": vocab.METRIC_NAMES, "qualifier": vocab.QUALIFIERS}.get(name)
            out[name] = s.astype(pd.CategoricalDtype(cats) if cats else "category")
    return out
