"""The disk layer: checksums of raw inputs, the one CSV reader, the writers, and ``load``.

Only this module, :mod:`stats.report` and the commands touch the disk, and every file written
goes through :func:`writable` (the one rule: never under ``data/raw``) and is written to a
temporary file beside its target and renamed over it, so that a full disk or Ctrl-C never
leaves a truncated table behind.

Processed files are written deterministically (same inputs, byte-identical outputs) and are
read back exactly: CSV with ``\\n`` line ends, ISO dates and text as it is; Parquet through
pyarrow. Only files meant for spreadsheets (``python -m stats export``) have their formulas
made inert (``spreadsheet=True``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv
import yaml

from stats import config
from stats.errors import ChecksumError, UserError


def read_yaml(path: Path):
    """A YAML file (UTF-8) read with the safe loader: libyaml's C version where it is
    installed (the same documents, several times faster: the lexicons are read by every
    process that extracts), else the Python one."""
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Bytes read to sniff a file (encoding, header, layout).
HEAD_BYTES = 1 << 16


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
    # named as from the repository (data/raw/<dataset>/...), or as given
    top = raw.relative_to(config.ROOT) if raw.is_relative_to(config.ROOT) else raw
    problems = []
    for rel, digest in sorted(listed.items()):
        p = present.get(rel)
        if p is None:
            problems.append(f"{(top / rel).as_posix()}: listed in SHA256SUMS but missing")
        elif sha256(p) != digest:
            problems.append(
                f"{(top / rel).as_posix()}: changed (checksum differs from SHA256SUMS); "
                "raw files are immutable: add a new file instead"
            )
    for rel in sorted(set(present) - set(listed)):
        problems.append(
            f"{(top / rel).as_posix()}: not in SHA256SUMS (add it with `make checksums`)"
        )
    if problems:
        raise ChecksumError("; ".join(problems))
    return [present[r] for r in sorted(listed)]


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def _read_bytes(path: Path, n: int | None = None) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read() if n is None else f.read(n)
    except IsADirectoryError as exc:
        raise UserError(f"{path}: is a folder (expected a CSV file)") from exc
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from exc


def check_text(
    data: bytes, name: str, content: str = "a header row and data rows", kind: str = "UTF-8 CSV"
) -> None:
    """Refuse what is not UTF-8 text, with one line: an empty file, UTF-16 (a byte-order
    mark), or a binary file (NUL bytes near the start: a PNG, a spreadsheet, a PDF).
    *content* and *kind* say what was expected (a CSV by default)."""
    if not data.strip():
        raise UserError(f"{name}: the file is empty (expected {content})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{name}: UTF-16 text: save it as UTF-8 (expected {kind})")
    if b"\x00" in data[:8192]:
        raise UserError(f"{name}: binary file (NUL bytes): expected {kind}")


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (a BOM is dropped); undecodable bytes become U+FFFD so that the
    rows holding them can be rejected one by one. Empty, UTF-16 and binary inputs raise
    :class:`UserError` (see :func:`check_text`)."""
    check_text(data, name)
    return data.decode("utf-8-sig", errors="replace")


def read_head(path: Path | str, n: int = 1, name: str | None = None) -> list[list[str]]:
    """The first *n* non-blank CSV records of a file, cells stripped (to recognise a layout
    or read a header); ``[]`` for an empty file.

    Raises
    ------
    UserError
        For a file that cannot be read, UTF-16 or binary.
    """
    path = Path(path)
    name = name or str(path)
    head = _read_bytes(path, HEAD_BYTES)
    if not head.strip():
        return []
    check_text(head, name)
    lines = head.decode("utf-8-sig", errors="replace").splitlines(keepends=True)
    if len(head) == HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    out = []
    for rec in csv.reader(lines):
        if rec and any(c.strip() for c in rec):
            out.append([c.strip() for c in rec])
        if len(out) >= n:
            break
    return out


#: Name given to unnamed last columns (a trailing comma), dropped when they are empty.
_TRAILING = "\x00trailing"


def _header(path: Path, name: str) -> list[str]:
    """The header row, checked: names unique and not empty (trailing empty names, from a
    trailing comma, are named :data:`_TRAILING` to be dropped when their columns are empty)."""
    head = read_head(path, 1, name)
    if not head:
        raise UserError(f"{name}: the file is empty (expected a header row and data rows)")
    cols = list(head[0])
    n = len(cols)
    while n > 1 and cols[n - 1] == "":
        n -= 1
    cols = cols[:n] + [f"{_TRAILING}{j}" for j in range(len(cols) - n)]
    dup = sorted({c for c in cols if c and cols.count(c) > 1})
    if dup:
        where = "; ".join(
            f"{c!r} in columns {', '.join(str(j + 1) for j, x in enumerate(cols) if x == c)}"
            for c in dup
        )
        raise UserError(f"{name}: duplicate column name(s): {where} (each name must be unique)")
    blank = [str(j + 1) for j, c in enumerate(cols) if c == ""]
    if blank:
        raise UserError(f"{name}: column(s) {', '.join(blank)} of the header have no name")
    return cols


def _arrow_read(source, names: list[str], skip: int, keep: list[str]) -> pa.Table:
    # large_string is what pandas' str columns hold: to_pandas takes the text without a copy
    convert = pcsv.ConvertOptions(
        column_types={c: pa.large_string() for c in names},
        include_columns=keep,
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )
    read = pcsv.ReadOptions(column_names=names, skip_rows=skip, block_size=1 << 22)
    # quoted line breaks slow the multithreaded reader: try without them first, and read again
    # allowing them if the file does not parse
    for newlines in (False, True):
        if isinstance(source, io.BytesIO):
            source.seek(0)
        try:
            return pcsv.read_csv(
                source,
                read_options=read,
                convert_options=convert,
                parse_options=pcsv.ParseOptions(newlines_in_values=newlines),
            )
        except pa.ArrowInvalid:
            if newlines:
                raise
    raise AssertionError("unreachable")


def read_csv_text(
    path: Path | str,
    name: str | None = None,
    *,
    names: list[str] | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Read a CSV as text columns, exactly as written: no type guessing, no NA guessing (only
    empty cells are missing), column names stripped. The one CSV reader of the package.

    Parameters
    ----------
    path
        The CSV file (UTF-8; a BOM is dropped).
    name
        How the file is named in messages (default: the path).
    names
        Column names for a file without a header row (every line is then data).
    columns
        Read only these columns (the others are parsed but not kept).

    Returns
    -------
    DataFrame
        ``str`` columns. A file with bytes that are not UTF-8 is decoded with U+FFFD in their
        place (``attrs["replaced_bytes"]`` says whether it was) so that the rows holding them
        can be rejected one by one.

    Raises
    ------
    UserError
        For an empty, UTF-16 or binary file, a header with duplicate or missing names, or CSV
        that does not parse (rows with more or fewer fields than the header). A trailing
        comma on every line (an empty last field) is not an error: the empty column is
        dropped.

    Notes
    -----
    pyarrow's multithreaded reader (a 200 MB file is read in seconds).
    """
    path = Path(path)
    name = name or str(path)
    header = list(names) if names is not None else _header(path, name)
    keep = [c for c in (columns or header) if c in header]
    keep += [c for c in header if c.startswith(_TRAILING) and c not in keep]
    skip = 0 if names is not None else 1
    source, replaced = path, False
    try:
        table = _read_trailing(source, header, skip, keep, name)
    except pa.ArrowInvalid as exc:
        if "UTF8" not in str(exc) and "UTF-8" not in str(exc):
            raise UserError(f"{name}: not valid CSV: {str(exc).splitlines()[0]}") from exc
        data = decode_text(_read_bytes(path), name).encode("utf-8")
        source, replaced = io.BytesIO(data), True
        try:
            table = _read_trailing(source, header, skip, keep, name)
        except pa.ArrowInvalid as exc2:
            raise UserError(f"{name}: not valid CSV: {str(exc2).splitlines()[0]}") from exc2
    df = table.to_pandas()
    del table
    pa.default_memory_pool().release_unused()
    df.attrs["replaced_bytes"] = replaced
    return df


def _read_trailing(source, header: list[str], skip: int, keep: list[str], name: str):
    """Read; unnamed last columns (a trailing comma on the header, or on every data line
    only) are dropped when they are empty, and are an error otherwise."""
    try:
        table = _arrow_read(source, header, skip, keep)
    except pa.ArrowInvalid as exc:
        n = len(header)
        if f"Expected {n} columns, got {n + 1}" not in str(exc):
            raise
        extra = f"{_TRAILING}{n}"
        table = _arrow_read(source, [*header, extra], skip, [*keep, extra])
    trailing = [c for c in table.column_names if c.startswith(_TRAILING)]
    if any(table.column(c).null_count != table.num_rows for c in trailing):
        named = sum(not c.startswith(_TRAILING) for c in header)
        raise UserError(
            f"{name}: not valid CSV: rows have values beyond the {named} named columns "
            "of the header"
        )
    return table.drop_columns(trailing)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def _refuse_raw(path: Path) -> None:
    raw = config.RAW.resolve()
    if path == raw or raw in path.parents:
        raise UserError(f"{path}: refusing to write under data/raw (raw data is immutable)")


def writable(path: Path | str, create: bool = True) -> Path:
    """The one rule of every writer: *path* (a file to write) resolved, never under
    ``data/raw`` (raw data is immutable) and not an existing folder; its folder is created
    (unless not *create*: a command checks its outputs before doing the work).

    Raises
    ------
    UserError
        Under ``data/raw``, for a folder, or when the folder cannot be created.
    """
    path = Path(path).resolve()
    _refuse_raw(path)
    if path.is_dir():
        raise UserError(f"{path}: is a folder (expected a file name to write)")
    if create:
        writable_folder(path.parent)
    return path


def writable_folder(folder: Path | str, create: bool = True) -> Path:
    """*folder* resolved, never under ``data/raw`` and not a file; created (unless not
    *create*). See :func:`writable`."""
    folder = Path(folder).resolve()
    _refuse_raw(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: is a file (expected a folder to write into)")
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"{folder}: cannot create the folder ({exc.strerror})") from exc
    return folder


def write_atomic(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside *path*, then rename it over *path*.

    A failed or interrupted write leaves *path* as it was (no truncated file); an ``OSError``
    (read-only folder, full disk) becomes one :class:`UserError` line.
    """
    path = writable(path)
    tmp = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # as open() would have made it (mkstemp gives 0600)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes(data: bytes, path: Path | str) -> Path:
    """Write *data* to *path* atomically (see :func:`write_atomic`)."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_text(text: str, path: Path | str) -> Path:
    """Write *text* as UTF-8 to *path* atomically (see :func:`write_atomic`)."""
    return write_bytes(text.encode("utf-8"), path)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Make text cells inert in spreadsheets: a cell starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return gets a leading apostrophe (OWASP CSV-injection advice).
    Numbers and dates are left alone. Does not mutate the input. For files meant for
    spreadsheets only: the text no longer reads back as it was.

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


def to_csv_bytes(df: pd.DataFrame, spreadsheet: bool = False) -> bytes:
    """Deterministic CSV bytes: ISO dates, ``\\n`` line ends, text as it is (formulas
    neutralised when *spreadsheet*, see :func:`neutralise_formulas`).

    Cells are quoted where needed; a table with a carriage return in some text has every
    cell quoted (the writer would leave a lone ``\\r`` bare, and readers take it for a line
    end)."""
    out = neutralise_formulas(df) if spreadsheet else df.copy()
    cr = False
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[c] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
            cr = cr or bool(s.astype("str").str.contains("\r", regex=False).fillna(False).any())
    quoting = csv.QUOTE_ALL if cr else csv.QUOTE_MINIMAL
    return out.to_csv(index=False, lineterminator="\n", quoting=quoting).encode("utf-8")


def write_csv(df: pd.DataFrame, path: Path | str, spreadsheet: bool = False) -> Path:
    """Write *df* as deterministic CSV (see :func:`to_csv_bytes`), atomically; never under
    ``data/raw``."""
    return write_bytes(to_csv_bytes(df, spreadsheet), path)


def write_parquet(df: pd.DataFrame, path: Path | str) -> Path:
    """Write *df* as Parquet (pyarrow, zstd, no index), atomically; never under ``data/raw``."""
    table = df.reset_index(drop=True)
    return write_atomic(
        path, lambda tmp: table.to_parquet(tmp, engine="pyarrow", compression="zstd", index=False)
    )


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block is done; it is then raised as usual."""
    can = hasattr(signal, "pthread_sigmask")
    if can:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if can:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def staged_folder(folder: Path | str) -> Iterator[Path]:
    """Write a set of files together: yield a temporary folder inside *folder*; when the
    block ends normally, move every file and subfolder written in it into *folder*, replacing
    those of the same name (Ctrl-C held back meanwhile); when it fails or is interrupted,
    *folder* is left as it was (the temporary folder is removed).

    So a rebuild never leaves new tables beside old ones derived from other inputs, nor a
    report whose page, numbers and charts come from different builds.
    """
    folder = writable_folder(folder)
    stage = None
    try:
        stage = Path(tempfile.mkdtemp(prefix=".staged.", dir=folder))
        yield stage
        replaced = Path(tempfile.mkdtemp(prefix=".replaced.", dir=stage))
        with _interrupts_held():
            for p in sorted(stage.iterdir()):
                if p == replaced:
                    continue
                target = folder / p.name
                if p.is_dir() and target.is_dir():
                    os.replace(target, replaced / p.name)
                os.replace(p, target)
    except OSError as exc:
        raise UserError(f"{folder}: cannot write ({exc.strerror or exc})") from exc
    except UserError as exc:
        # name the file the user will look for, not its temporary place
        if stage is None or str(stage) not in str(exc):
            raise
        raise type(exc)(str(exc).replace(str(stage), str(folder))) from exc
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Loading processed tables
# ---------------------------------------------------------------------------------------------
def load(name: str = "claims", processed: Path | str | None = None) -> pd.DataFrame:
    """Load a processed table by name (``claims``, ``rejects``, ``estimates``, ``daily``,
    ``conflicts``, ``events``), validated, with proper dtypes: exactly the table written.

    Raises
    ------
    UserError
        When the table has not been built (run ``make data``), is truncated or damaged, or
        does not meet its contract; the message names the file.
    """
    folder = Path(processed) if processed is not None else config.PROCESSED
    parquet, csv_ = folder / f"{name}.parquet", folder / f"{name}.csv"
    path = parquet if parquet.exists() else csv_
    if not path.exists():
        raise UserError(f"{folder}/{name}: no such processed table; run `make data` first")
    return read_table(path, name, hint="rebuild it with `make data`")


def read_table(path: Path | str, name: str, hint: str = "") -> pd.DataFrame:
    """Read a table written by :func:`write_csv` or :func:`write_parquet` (by the file's
    ending) and validate it against the model of table *name* (``claims``, ``rejects``,
    ``estimates``, ``daily``, ``conflicts``, ``events``; other names are read as text).

    Raises
    ------
    UserError
        Naming the file, for a truncated or damaged file or one that does not meet the
        contract (*hint* is appended to the message).
    """
    from pandera.errors import SchemaError, SchemaErrors

    from stats import contract

    path = Path(path)
    hint = f"; {hint}" if hint else ""
    if path.suffix == ".parquet":
        try:
            df = pd.read_parquet(path, engine="pyarrow")
        except (OSError, pa.ArrowException) as exc:
            raise UserError(f"{path}: cannot read (truncated or not Parquet: {exc}){hint}") from exc
    else:
        df = read_csv_text(path)
    models = {"claims": contract.Claims, "rejects": contract.Rejects, **contract.TABLE_MODELS}
    model = models.get(name)
    if model is None:
        return df
    try:
        return model.validate(_coerce_like(df, model))
    except (SchemaError, SchemaErrors, ValueError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"{path}: not a valid {name} table ({first}){hint}") from exc


_BOOLS = {"True": True, "False": False, "true": True, "false": False}


def _coerce_like(df: pd.DataFrame, model) -> pd.DataFrame:
    """Give text columns read from CSV the model's dtypes (dates, nullable integers, bools,
    categories, text). Raises ``ValueError`` naming the column for a cell that does not fit."""
    from stats import vocab

    out = df.copy()
    for name, column in model.to_schema().columns.items():
        if name not in out:
            continue
        dtype = str(column.dtype)
        s = out[name]
        try:
            if "datetime" in dtype.lower() and not pd.api.types.is_datetime64_any_dtype(s.dtype):
                out[name] = pd.to_datetime(s, format="%Y-%m-%d").astype("datetime64[ns]")
            elif dtype == "Int64" and str(s.dtype) != "Int64":
                out[name] = pd.array(pd.to_numeric(s), dtype="Int64")
            elif dtype == "bool" and pd.api.types.is_string_dtype(s.dtype):
                mapped = s.map(_BOOLS)
                if mapped.isna().any():
                    bad = s[mapped.isna()].iloc[0]
                    raise ValueError(f"{bad!r} is not True or False")
                out[name] = mapped.astype(bool)
            elif dtype.startswith("str") and not isinstance(s.dtype, pd.StringDtype):
                out[name] = s.astype("str").where(s.notna())
            elif dtype == "category" and not isinstance(s.dtype, pd.CategoricalDtype):
                cats = {"metric": vocab.METRIC_NAMES, "qualifier": vocab.QUALIFIERS}.get(name)
                out[name] = s.astype(pd.CategoricalDtype(cats) if cats else "category")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"column {name}: {exc}") from exc
    return out
