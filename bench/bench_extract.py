"""Speed of the text extractor: MB of report text per second, on 1, 4 and 16 MB.

Generates realistic English report text (wire and sitrep sentences with counts, dates,
attributions and the numbers that are not counts), times ``extract_raw`` on one core and
prints a table. The rate should stay about flat as the size grows (linear time); the target
is at least 1 MB/s.

Run: ``python bench/bench_extract.py`` (or ``make bench``); ``--stages`` adds the CPU time
of each stage of the extractor (sentences, counts, roles, periods, places, attributions) on
the 1 MB text.
"""

from __future__ import annotations

import functools
import random
import sys
import time

import stats.ingest.text as text_module
from stats.ingest.text import extract_raw

PLACES = ["Aleppo", "Idlib", "Hama", "Homs", "Ariha", "Saraqib", "Manbij", "Damascus", "Tartous"]
COUNTERS = [
    "the Syrian Observatory for Human Rights",
    "the UN",
    "OCHA",
    "the White Helmets",
    "SNHR",
    "UNHCR",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["November", "December"]

TEMPLATES = [
    "At least {n} civilians, including {k} children, were killed in {p} on {d}, according to {c}.",
    "The death toll rose to {n} since {day} {month}, {c} said.",
    "More than {n},000 people have been displaced in {p} in the past {k} days.",
    "{c} reported {n} people injured in shelling on {p}.",
    "Some {n} fighters have died since {d} around {p}, the monitor said.",
    "Several thousand Syrians have crossed back into Syria from Lebanon, {c} said.",
    "Between {n},000 and {m},000 people have fled their homes across {p}.",
    "Hundreds of detainees were released from the central prison in {p}.",
    "The city lies about {k} kilometres south of {p}, Syria's third city.",
    "Mohammed, {k}, said he left {p} in 2016, when {n} NGOs closed {k} community centres.",
    "About {k} percent of the {n} health facilities in {p} have suspended services.",
    "The UN appealed for ${n} million to deliver {k} trucks of aid to {p}.",
    "Residents took to the streets of {p} to celebrate, according to AFP images.",
    "The offensive, launched on {day} {month} from {p}, seized dozens of localities.",
]


#: sentences without numbers (most of a news story: context, quotes, reactions)
NARRATIVE = [
    "Residents said they feared the advance and many tried to leave {p} by car or on foot.",
    "“We do not know what tomorrow will bring,” a shopkeeper in {p} told reporters.",
    "The government said its forces had withdrawn to new positions to protect civilians.",
    "Aid agencies warned that the situation remained highly fluid and called for access.",
    "The offensive is the most serious challenge to the government in years.",
    "Officials met in Geneva to discuss the crisis in {p} and the wider region.",
    "Residents took to the streets of {p} to celebrate, according to AFP images.",
    "The foreign minister called for an immediate halt to the fighting around {p}.",
    "Humanitarian partners continue to verify figures as the situation evolves.",
    "Schools and markets in {p} remained closed as shelling continued overnight.",
]


def make_text(n_bytes: int, seed: int = 1) -> str:
    """Paragraphs of 2-5 sentences, about ``n_bytes`` long: half are narrative sentences
    without numbers, half come from the templates with numbers (claims, dates, ages,
    distances, percentages, money)."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n_bytes:
        sents = []
        for _ in range(rng.randint(2, 5)):
            t = rng.choice(TEMPLATES) if rng.random() < 0.5 else rng.choice(NARRATIVE)
            n = rng.randint(2, 900)
            sents.append(
                t.format(
                    n=n,
                    m=n + rng.randint(1, 50),
                    k=rng.randint(2, 60),
                    p=rng.choice(PLACES),
                    c=rng.choice(COUNTERS),
                    d=rng.choice(DAYS),
                    day=rng.randint(1, 28),
                    month=rng.choice(MONTHS),
                )
            )
        para = " ".join(sents)
        parts.append(para)
        size += len(para) + 1
    return "\n".join(parts)


#: stages of the extractor timed by ``--stages`` (functions of :mod:`stats.ingest.text`)
STAGES = {
    "split_sentences": "sentences",
    "_mentions": "counts",
    "_assign": "roles, events, metrics",
    "find_periods": "periods",
    "_places": "places",
    "_attributions": "attributions (incl. counters of the whole text)",
    "_resolve_period": "period of each claim",
}


def stage_times(text: str) -> tuple[float, dict[str, float]]:
    """CPU seconds of ``extract_raw`` on ``text`` and of each stage in :data:`STAGES` (the
    functions are wrapped with timers for this run only; the wrappers add a little time)."""
    spent = dict.fromkeys(STAGES, 0.0)
    saved = {name: getattr(text_module, name) for name in STAGES}

    def timed(name, f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            t0 = time.process_time()
            try:
                return f(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - t0

        return wrapper

    try:
        for name, f in saved.items():
            setattr(text_module, name, timed(name, f))
        t0 = time.process_time()
        extract_raw(text, "2024-12-31")
        total = time.process_time() - t0
    finally:
        for name, f in saved.items():
            setattr(text_module, name, f)
    return total, spent


def main() -> None:
    print("text extractor: one core, CPU seconds (process time), target >= 1 MB/s")
    print(f"{'size MB':>8} {'claims':>8} {'seconds':>8} {'MB/s':>6}")
    for mb in (1, 4, 16):
        text = make_text(mb * 1_000_000)
        t0 = time.process_time()
        claims = extract_raw(text, "2024-12-31")
        dt = time.process_time() - t0
        size = len(text.encode()) / 1e6
        print(f"{size:8.1f} {len(claims):8d} {dt:8.2f} {size / dt:6.2f}")
    if "--stages" in sys.argv[1:]:
        total, spent = stage_times(make_text(1_000_000))
        print("\nstages on 1 MB (CPU seconds; the rest is reading paragraphs and the table)")
        for name, label in STAGES.items():
            print(f"{spent[name]:8.3f}  {label}")
        print(f"{total:8.3f}  total")


if __name__ == "__main__":
    main()
