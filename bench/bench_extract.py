"""Speed of the text extractor in every language: MB of report text per second, on 1 and 4 MB.

Generates report text per language (wire and sitrep sentences with counts, dates,
attributions and numbers that are not counts, between sentences without numbers), times
``extract_raw`` on one core and prints a table: the rate by CPU time (process time, which other
jobs on a shared machine change least) and by wall time, and the load average before and after
(compare figures only at a similar load). The rate should stay about flat as the size grows
(linear time); the target is at least 2 MB/s of CPU time in every language (goal 5).

Run: ``python bench/bench_extract.py`` (or ``make bench``); ``--sizes 1,4,16`` to choose the
sizes in MB; ``--lang fr`` for one language; ``--one-paragraph`` for the whole text on one
line; ``--check`` exits 1 when a language is below the bound.
"""

from __future__ import annotations

import argparse
import os
import random
import time

from stats.extract import extract_raw

#: (templates with numbers, sentences without) per language; {n}, {k}: numbers, {p}: a place
TEXTS = {
    "en": (
        [
            "At least {n} civilians, including {k} children, were killed in {p}, the UN said.",
            "The death toll rose to {n} since {k} November, the health ministry said.",
            "More than {n},000 people have been displaced in {p} in the past {k} days.",
            "The city lies about {k} kilometres south of {p}; {n} trucks of aid arrived.",
            "About {k} percent of the {n} health facilities in {p} have suspended services.",
        ],
        [
            "Residents said they feared the advance and many tried to leave {p} by car.",
            "Aid agencies warned that the situation remained highly fluid and called for access.",
        ],
    ),
    "fr": (
        [
            "Au moins {n} civils, dont {k} enfants, ont été tués à {p}, selon l'ONU.",
            "Le bilan s'élève à {n} morts depuis le {k} novembre, a indiqué le ministère.",
            "Plus de {n}.000 personnes ont fui {p} au cours des {k} derniers jours.",
            "La ville se trouve à {k} kilomètres de {p}; {n} camions d'aide sont arrivés.",
        ],
        [
            "Les habitants craignent une nouvelle offensive et beaucoup tentent de quitter {p}.",
            "Les agences humanitaires appellent à un accès sans entrave à la population.",
        ],
    ),
    "es": (
        [
            "Al menos {n} civiles, entre ellos {k} niños, murieron en {p}, según la ONU.",
            "El balance asciende a {n} muertos desde el {k} de noviembre, dijo el ministerio.",
            "Más de {n}.000 personas han huido de {p} en los últimos {k} días.",
            "La ciudad está a {k} kilómetros de {p}; llegaron {n} camiones de ayuda.",
        ],
        [
            "Los vecinos temen una nueva ofensiva y muchos intentan salir de {p}.",
            "Las agencias humanitarias piden un acceso sin trabas a la población.",
        ],
    ),
    "de": (
        [
            "Mindestens {n} Zivilisten, darunter {k} Kinder, wurden in {p} getötet, teilte die UN mit.",
            "Die Zahl der Toten stieg seit dem {k}. November auf {n}, meldete das Ministerium.",
            "Mehr als {n}.000 Menschen sind in den vergangenen {k} Tagen aus {p} geflohen.",
            "Die Stadt liegt {k} Kilometer von {p} entfernt; {n} Lastwagen kamen an.",
        ],
        [
            "Die Bewohner fürchten eine neue Offensive und viele versuchen, {p} zu verlassen.",
            "Hilfsorganisationen fordern ungehinderten Zugang zur Bevölkerung.",
        ],
    ),
    "pt": (
        [
            "Pelo menos {n} civis, incluindo {k} crianças, morreram em {p}, segundo a ONU.",
            "O balanço subiu para {n} mortos desde {k} de novembro, disse o ministério.",
            "Mais de {n}.000 pessoas fugiram de {p} nos últimos {k} dias.",
            "A cidade fica a {k} quilômetros de {p}; chegaram {n} caminhões de ajuda.",
        ],
        [
            "Os moradores temem uma nova ofensiva e muitos tentam deixar {p}.",
            "As agências humanitárias pedem acesso sem entraves à população.",
        ],
    ),
    "ar": (
        [
            "أفاد المرصد السوري بمقتل {n} مدنيا بينهم {k} أطفال في {p}.",
            "ارتفعت حصيلة القتلى إلى {n} منذ {k} نوفمبر وفق وزارة الصحة.",
            "نزح أكثر من {n} ألف شخص من {p} خلال {k} أيام.",
            "تقع المدينة على بعد {k} كيلومترا من {p} ووصلت {n} شاحنة مساعدات.",
        ],
        [
            "يخشى السكان هجوما جديدا ويحاول كثيرون مغادرة {p}.",
            "دعت الوكالات الإنسانية إلى وصول المساعدات دون عوائق.",
        ],
    ),
}
PLACES = ["Aleppo", "Idlib", "Hama", "Homs", "Gaza", "Goma", "Kharkiv", "El Fasher"]


def make_text(lang: str, n_bytes: int, seed: int = 1, one_paragraph: bool = False) -> str:
    """Paragraphs of 2-5 sentences, about ``n_bytes`` long (UTF-8): half with numbers; with
    ``one_paragraph``, all on one line (what earlier sentences state is then looked for
    across the whole text: the case where a quadratic walk would show)."""
    rng = random.Random(seed)
    numbered, plain = TEXTS[lang]
    parts: list[str] = []
    size = 0
    while size < n_bytes:
        sents = []
        for _ in range(rng.randint(2, 5)):
            t = rng.choice(numbered) if rng.random() < 0.5 else rng.choice(plain)
            sents.append(
                t.format(n=rng.randint(2, 900), k=rng.randint(2, 28), p=rng.choice(PLACES))
            )
        para = " ".join(sents)
        parts.append(para)
        size += len(para.encode()) + 1
    return (" " if one_paragraph else "\n").join(parts)


#: the bound of issue 11: MB of text per second on one core, in every language
TARGET_MB_S = 2.0


def _load() -> str:
    """The 1, 5 and 15 minute load averages of the machine."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,4", help="sizes in MB, comma-separated (1,4)")
    ap.add_argument("--lang", choices=sorted(TEXTS), help="one language (default: all)")
    ap.add_argument(
        "--one-paragraph", action="store_true", help="the whole text on one line (linearity)"
    )
    ap.add_argument(
        "--check", action="store_true", help="exit 1 when a language is below the bound"
    )
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"text extractor: one core, target >= {TARGET_MB_S} MB/s of CPU time")
    print(f"load average {_load()}")
    print(f"{'lang':>4} {'size MB':>8} {'claims':>7} {'CPU s':>6} {'wall s':>6} {'MB/s CPU':>8} "
          f"{'MB/s wall':>9}")  # fmt: skip
    below = []
    for lang in [args.lang] if args.lang else list(TEXTS):
        extract_raw(make_text(lang, 20_000), "2024-12-31", lang=lang)  # patterns built once
        rates = []
        for mb in sizes:
            text = make_text(lang, int(mb * 1_000_000), one_paragraph=args.one_paragraph)
            t0, w0 = time.process_time(), time.perf_counter()
            claims = extract_raw(text, "2024-12-31", lang=lang)
            dt, wall = time.process_time() - t0, time.perf_counter() - w0
            size = len(text.encode()) / 1e6
            rates.append(size / dt)
            print(f"{lang:>4} {size:8.1f} {len(claims):7d} {dt:6.2f} {wall:6.2f} {size / dt:8.2f} "
                  f"{size / wall:9.2f}")  # fmt: skip
        # linear time: the rate on the largest text stays near the rate on the smallest
        ok = min(rates) >= TARGET_MB_S
        print(
            f"{lang:>4} bound {TARGET_MB_S} MB/s: {'met' if ok else 'NOT met'}; rate largest/"
            f"smallest text {rates[-1] / rates[0]:.2f} (1.00 is linear)"
        )
        if not ok:
            below.append(lang)
    print(f"load average {_load()}")
    return 1 if args.check and below else 0


if __name__ == "__main__":
    raise SystemExit(main())
