"""The review server: a Flask app bound to 127.0.0.1 that shows a dataset's review queue and
records the analyst's decisions in ``data/hand/<dataset>/decisions.csv``, nothing else.

Every page is rendered by Jinja2 with autoescape on: text from the data (quotes, paragraphs,
names) is always shown as text. The server answers only requests from 127.0.0.1 addressed
to 127.0.0.1 or localhost (403 otherwise: no other machine, no DNS rebinding), serves only
``/d/<dataset>/`` (404 for any other path), takes decisions only with the page's token (403:
no cross-site form posts) and only for a candidate of the queue (400 otherwise). A content
security policy lets the page load its own script and style only.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from flask import Flask, abort, current_app, redirect, render_template, request

from stats import candidates, config, contract, disk
from stats.report import safe_url
from stats.review import store

#: The one address the server binds to and answers.
HOST = "127.0.0.1"
#: Host names a request may be addressed to.
LOCAL_NAMES = ("127.0.0.1", "localhost")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
#: Claim fields shown for each candidate, in order (role ``shown`` in the Claims model).
SHOWN: tuple[str, ...] = contract.fields(contract.Claims, "shown")
#: Fields naming each claim a candidate would duplicate (role ``summary``).
SUMMARY: tuple[str, ...] = contract.fields(contract.Claims, "summary")


def split_sentence(paragraph: str, sentence: str) -> tuple[str, str, str]:
    """``(before, sentence, after)`` of the sentence in its paragraph (all in *before* when
    it is not found), for the page to highlight it.

    Examples
    --------
    >>> split_sentence("A one. B two. C.", "B two.")
    ('A one. ', 'B two.', ' C.')
    """
    i = paragraph.find(sentence) if sentence else -1
    if i < 0:
        return paragraph, "", ""
    return paragraph[:i], sentence, paragraph[i + len(sentence) :]


def text(v) -> str:
    return "" if pd.isna(v) else str(v)


def card(row: pd.Series, ledger: pd.DataFrame) -> dict:
    """What the page shows of one candidate."""
    flags = [f.strip() for f in text(row.get(candidates.INFERRED)).replace(";", ",").split(",")]
    dup_ids = [i for i in text(row["duplicates"]).split(candidates.SEP) if i]
    dups = ledger[ledger["claim_id"].isin(dup_ids)]
    return {
        "id": row["candidate_id"],
        "status": row["status"],
        "decision": {c: text(row[c]) for c in ("decision_id", "reviewer", "decided_at", "reason")},
        "fields": [(f, text(row[f]), f in flags) for f in SHOWN],
        "inferred": [f for f in flags if f],
        "has_inferred": candidates.INFERRED in row.index,
        "source": f"{row['source_file']}, line {row['source_row']}",
        "url": text(row["url"]),
        "link": safe_url(text(row["url"])),
        "parts": split_sentence(text(row["paragraph"]), text(row["quote"])),
        "duplicates": [{c: text(d[c]) for c in SUMMARY} for _, d in dups.iterrows()],
    }


def correction_fields(form, row: pd.Series) -> dict[str, str]:
    """The fields of a correction form that differ from the candidate as read."""
    out = {}
    for f in candidates.CORRECTABLE:
        if f in form and form[f].strip() != text(row[f]):
            out[f] = form[f].strip()
    return out


@dataclass
class ServedQueue:
    """What one review server serves: a dataset's queue and ledger as built, where its
    decisions go, who decides, and the token its forms carry."""

    dataset: str
    queue: pd.DataFrame
    ledger: pd.DataFrame
    decisions: Path
    reviewer: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"/d/{self.dataset}/"

    def current(self) -> pd.DataFrame:
        """The queue with the decisions made so far."""
        return store.with_decisions(self.queue, candidates.read_decisions(self.decisions))

    def next_pending(self, cid: str) -> str:
        """The next pending candidate after *cid* (wrapping round; *cid* when none)."""
        current = self.current()
        ids = list(current["candidate_id"])
        after = ids[ids.index(cid) + 1 :] + ids[: ids.index(cid)]
        pending = set(current.loc[current["status"] == "pending", "candidate_id"])
        return next((i for i in after if i in pending), cid)


def state() -> ServedQueue:
    return current_app.config["REVIEW"]


def refuse(code: int, message: str):
    """Stop the request with *code* and a one-line text *message*."""
    abort(current_app.response_class(message + "\n", status=code, mimetype="text/plain"))


def only_local():
    """Refuse requests not from 127.0.0.1, or addressed to another host name."""
    if request.remote_addr != HOST:
        refuse(403, f"refused: the review server answers only {HOST}")
    if request.host.rsplit(":", 1)[0] not in LOCAL_NAMES:
        refuse(403, f"refused: requests must be addressed to {HOST} or localhost")


def secure(resp):
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["Cache-Control"] = "no-store"
    return resp


def outside(_exc):
    r = state()
    return current_app.response_class(
        f"not found: this server serves only the review of {r.dataset!r} at {r.base}\n",
        status=404,
        mimetype="text/plain",
    )


def page():
    """The queue: pending candidates first, each as a card with its forms."""
    r = state()
    current = r.current()
    order = current.sort_values("status", key=lambda s: s != "pending", kind="stable")
    return render_template(
        "review.html",
        dataset=r.dataset,
        cards=[card(row, r.ledger) for _, row in order.iterrows()],
        counts=current["status"].value_counts().to_dict(),
        base=r.base,
        token=r.token,
        correctable=candidates.CORRECTABLE,
    )


def check_correction(row: pd.Series, rows: pd.DataFrame, dataset: str) -> None:
    """Refuse (400) a correction the contract would reject, with its reason."""
    claim = row.rename({"candidate_id": "claim_id"})
    fields = rows.assign(row=pd.NA)
    _ok, rej = candidates.correct(claim, fields, f"data/hand/{dataset}/decisions.csv")
    if len(rej):
        first = rej.iloc[0]
        refuse(400, f"correction refused: {first['column']}: {first['reason']}")


def decide():
    """Record one decision (the form's token, a known candidate and action required)."""
    r, form = state(), request.form
    if not secrets.compare_digest(form.get("token", ""), r.token):
        refuse(403, "refused: the form does not carry this page's token; reload the page")
    cid, action = form.get("candidate_id", ""), form.get("action", "")
    match = r.queue[r.queue["candidate_id"] == cid]
    if match.empty:
        refuse(400, f"unknown candidate {cid!r}: not in the review queue of {r.dataset!r}")
    if action not in candidates.ACTIONS:
        refuse(400, f"unknown action {action!r}: expected one of {', '.join(candidates.ACTIONS)}")
    row, reason = match.iloc[0], form.get("reason", "").strip()
    fields = correction_fields(form, row) if action == "correct" else {}
    if action == "reject" and not reason:
        refuse(400, "a rejection needs a reason")
    if action == "correct" and not fields:
        refuse(400, "a correction needs at least one field changed")
    with r.lock:
        old = candidates.read_decisions(r.decisions)
        rows = store.new_decision(old, cid, action, r.reviewer, reason, fields)
        if fields:
            check_correction(row, rows, r.dataset)
        store.append_decision(r.decisions, rows)
    return redirect(f"{r.base}#c-{r.next_pending(cid)}", code=303)


def create_app(
    dataset: str,
    processed: Path | str = config.PROCESSED,
    hand: Path | str = config.HAND,
    reviewer: str = "analyst",
) -> Flask:
    """The review app of one dataset (its queue in ``<processed>/<dataset>/``, its decisions
    in ``<hand>/<dataset>/decisions.csv``).

    Raises
    ------
    UserError
        When the dataset has no review queue (not built).
    """
    folder = Path(processed) / dataset
    review = ServedQueue(
        dataset,
        store.read_queue(folder),
        disk.read_csv_text(folder / "claims.csv"),
        Path(hand) / dataset / "decisions.csv",
        reviewer,
    )
    app = Flask(__name__, static_folder="static", static_url_path=review.base + "static")
    app.config.update(DATASET=dataset, REVIEW=review)
    app.before_request(only_local)
    app.after_request(secure)
    app.register_error_handler(404, outside)
    app.add_url_rule("/", "home", lambda: redirect(review.base))
    app.add_url_rule(review.base, "page", page)
    app.add_url_rule(review.base + "decide", "decide", decide, methods=["POST"])
    return app


def local_server(app: Flask, port: int = 0):
    """A threaded WSGI server for *app* listening on 127.0.0.1 (``port`` 0: a free port;
    the one taken is ``server.server_port``)."""
    from werkzeug.serving import make_server

    return make_server(HOST, port, app, threaded=True)


def serve(app: Flask, port: int = 0, ready=None) -> None:
    """Serve *app* on 127.0.0.1 (``port`` 0: a free port) until interrupted; ``ready`` is
    called with the page's URL once the server listens."""
    server = local_server(app, port)
    if ready is not None:
        ready(f"http://{HOST}:{server.server_port}/d/{app.config['DATASET']}/")
    try:
        server.serve_forever()
    finally:
        server.server_close()
