import io
import itertools
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stats import contract
from stats.contract import validate
from stats.dedupe import dedupe
from stats.errors import SchemaError, UserError
from stats.reconcile import RULES, claim_constraints, reconcile

BASE = {
    "metric": "killed",
    "qualifier": "exact",
    "period_start": "2024-11-27",
    "location": "Syria",
    "counted_by": "SOHR",
}


def claims(rows: list[dict]) -> pd.DataFrame:
    rows = [{**BASE, **r} for r in rows]
    for r in rows:
        r.setdefault("published", r["period_end"])
    raw = pd.DataFrame(rows).astype(object)
    valid, rejects = validate(raw, "test.csv")
    assert rejects.empty, rejects.to_dict("records")
    return valid


def rows_of(est, counter="SOHR", metric="killed"):
    e = est[(est["counter"] == counter) & (est["metric"] == metric)]
    out = []
    for r in e.itertuples():
        out.append((r.date.strftime("%m-%d"), r.low, r.best, None if pd.isna(r.high) else r.high))
    return out


def test_single_exact_claim_passes_through_unchanged():
    c = claims([{"claim_id": "a", "value": "826", "period_end": "2024-12-06"}])
    est, conf = reconcile(c)
    assert conf.empty
    assert len(est) == 2  # the counter's row and the combined row
    for r in est.itertuples():
        assert (r.low, r.best, r.high) == (826, 826, 826)
        assert r.date == pd.Timestamp("2024-12-06")
        assert r.claim_ids == "a" and r.n_claims == 1
        assert r.series_start == pd.Timestamp("2024-11-27")
    assert set(est["counter"]) == {"SOHR", "combined"}
    contract.Estimates.validate(est)
    contract.Conflicts.validate(conf)


def test_a_figure_without_a_counter_is_its_outlets_unattributed_count():
    c = claims(
        [
            {"claim_id": "U1", "value": "10", "period_end": "2024-11-29", "reported_by": "AFP"},
            {"claim_id": "U2", "value": "12", "period_end": "2024-11-30"},
            {"claim_id": "N1", "value": "11", "period_end": "2024-11-29"},
        ]
    )
    c["counted_by"] = c["counted_by"].where(c["claim_id"] == "N1")
    for figures in (c, dedupe(c)):
        got = claim_constraints(figures).set_index("claim_id")["counter"].astype(str)
        assert got.to_dict() == {"N1": "SOHR", "U1": "unattributed (AFP)", "U2": "unattributed"}


def test_lower_bounds_carry_forward_and_upper_bounds_backward():
    c = claims(
        [
            {"claim_id": "a", "value": "300", "qualifier": "at_least", "period_end": "2024-11-29"},
            {"claim_id": "b", "value": "200", "qualifier": "about", "period_end": "2024-11-28"},
            {"claim_id": "c", "value": "500", "qualifier": "at_most", "period_end": "2024-12-02"},
            {"claim_id": "d", "value": "250", "qualifier": "at_least", "period_end": "2024-12-01"},
        ]
    )
    est, conf = reconcile(c)
    assert conf.empty
    assert rows_of(est) == [
        ("11-28", 180, 200, 220),
        ("11-29", 300, 300, 500),
        ("12-01", 300, 300, 500),  # the 29 Nov floor holds later; 250 adds nothing
        ("12-02", 300, 300, 500),
    ]


def test_flow_windows_are_lower_bounds_and_wider_windows_upper_bounds():
    c = claims(
        [
            {"claim_id": "a", "metric": "displaced", "value": "50000", "period_end": "2024-11-30"},
            {
                "claim_id": "b",
                "metric": "displaced",
                "value": "115000",
                "period_start": "2024-12-01",
                "period_end": "2024-12-07",
            },
            {
                "claim_id": "c",
                "metric": "displaced",
                "value": "900000",
                "period_start": "2024-11-01",
                "period_end": "2024-12-31",
            },
            {"claim_id": "d", "metric": "displaced", "value": "60000", "period_end": "2024-12-02"},
        ]
    )
    roles = claim_constraints(c, start="2024-11-27").set_index("claim_id")["role"]
    assert roles.to_dict() == {"a": "cumulative", "b": "window", "c": "wider", "d": "cumulative"}
    est, conf = reconcile(c, start="2024-11-27")
    assert conf.empty
    r = {d: (lo, b, hi) for d, lo, b, hi in rows_of(est, metric="displaced")}
    # the week's 115,000 adds to the 50,000 of 30 November; the two months' 900,000 caps
    # what follows
    assert r["12-07"] == (165000, 165000, 165000)
    assert r["12-31"] == (165000, 165000, 900000)


def test_a_window_one_day_earlier_is_not_the_same_series_start():
    # OCHA Flash Update 1 (28 Nov 2024): "From 26 to 28 November, at least 12 civilians,
    # including four children, were killed" and, for 27-28 November, "at least ten civilians
    # were killed, including a 10-year-old child". Counting from 27 November, the 26-28 window
    # (which includes the 26 November shelling of Ariha) is only an upper bound: no conflict.
    c = claims(
        [
            {
                "claim_id": "w",
                "metric": "children_killed",
                "value": "4",
                "period_start": "2024-11-26",
                "period_end": "2024-11-28",
                "counted_by": "OCHA",
            },
            {
                "claim_id": "n",
                "metric": "children_killed",
                "value": "1",
                "period_start": "2024-11-27",
                "period_end": "2024-11-28",
                "counted_by": "OCHA",
            },
        ]
    )
    roles = claim_constraints(c, start="2024-11-27").set_index("claim_id")["role"].to_dict()
    assert roles == {"w": "wider", "n": "cumulative"}
    est, conf = reconcile(c, start="2024-11-27")
    assert conf.empty
    assert rows_of(est, counter="OCHA", metric="children_killed")[-1] == ("11-28", 1, 1, 1)
    # counted from 26 November instead, the 27-28 figure is a window inside: still no conflict
    assert reconcile(c, start="2024-11-26")[1].empty


def test_stocks_may_fall():
    c = claims(
        [
            {
                "claim_id": "a",
                "metric": "idps",
                "value": "1100000",
                "period_end": "2024-12-12",
                "counted_by": "IDP Task Force",
            },
            {
                "claim_id": "b",
                "metric": "idps",
                "value": "650000",
                "period_end": "2024-12-30",
                "counted_by": "IDP Task Force",
            },
        ]
    )
    est, conf = reconcile(c)
    assert conf.empty
    assert rows_of(est, "IDP Task Force", "idps") == [
        ("12-12", 1100000, 1100000, 1100000),
        ("12-30", 650000, 650000, 650000),
    ]
    assert set(est["kind"]) == {"stock"}


def test_falling_total_is_a_non_monotone_conflict_naming_its_claims():
    c = claims(
        [
            {"claim_id": "a", "value": "514", "period_end": "2024-12-02"},
            {"claim_id": "b", "value": "417", "qualifier": "at_least", "period_end": "2024-12-02"},
            {"claim_id": "c", "value": "480", "period_end": "2024-12-03"},
        ]
    )
    est, conf = reconcile(c)
    assert conf["kind"].tolist() == ["non_monotone"]
    assert conf["claim_ids"].iloc[0] == "a;c"
    assert conf["counters"].iloc[0] == "SOHR"
    assert "cannot fall" in conf["detail"].iloc[0]
    # the estimate spans the clash instead of dropping one side; best is the isotonic
    # (non-decreasing) fit of the two days' figures, not the running maximum
    assert rows_of(est) == [("12-02", 480, 503, 514), ("12-03", 480, 503, 514)]


def test_part_above_whole_and_parts_above_whole():
    c = claims(
        [
            {"claim_id": "k", "value": "231", "period_end": "2024-11-29"},
            {
                "claim_id": "civ",
                "metric": "civilians_killed",
                "value": "24",
                "period_end": "2024-11-29",
            },
            {
                "claim_id": "com",
                "metric": "combatants_killed",
                "value": "218",
                "period_end": "2024-11-29",
            },
            {"claim_id": "k2", "value": "50", "period_end": "2024-11-28"},
            {
                "claim_id": "civ2",
                "metric": "civilians_killed",
                "value": "60",
                "period_end": "2024-11-28",
            },
        ]
    )
    est, conf = reconcile(c)
    kinds = dict(zip(conf["kind"], conf["claim_ids"], strict=True))
    assert kinds["parts_exceed_whole"] == "civ;com;k"
    assert kinds["part_exceeds_whole"] == "civ2;k2"
    assert (conf.loc[conf["kind"] == "parts_exceed_whole", "metric"] == "killed").all()


def test_parts_raise_the_whole_and_the_whole_caps_its_parts():
    c = claims(
        [
            {"claim_id": "k", "value": "500", "qualifier": "at_most", "period_end": "2024-12-02"},
            {
                "claim_id": "civ",
                "metric": "civilians_killed",
                "value": "90",
                "qualifier": "at_least",
                "period_end": "2024-12-02",
            },
            {
                "claim_id": "com",
                "metric": "combatants_killed",
                "value": "300",
                "qualifier": "at_least",
                "period_end": "2024-12-02",
            },
        ]
    )
    est, conf = reconcile(c)
    assert conf.empty
    assert rows_of(est) == [("12-02", 390, 390, 500)]
    assert rows_of(est, metric="civilians_killed") == [("12-02", 90, 90, 500)]


def test_place_above_its_parent_place():
    c = claims(
        [
            {"claim_id": "s", "value": "100", "period_end": "2024-12-02"},
            {"claim_id": "i", "value": "150", "location": "Idlib", "period_end": "2024-12-02"},
        ]
    )
    est, conf = reconcile(c)
    assert conf["kind"].tolist() == ["place_exceeds_parent"]
    assert conf["claim_ids"].iloc[0] == "i;s"
    assert conf["location"].iloc[0] == "Syria"


def test_counters_that_do_not_meet_are_disjoint_intervals():
    c = claims(
        [
            {
                "claim_id": "o",
                "metric": "civilians_killed",
                "value": "61",
                "counted_by": "SOHR",
                "period_end": "2024-12-01",
            },
            {
                "claim_id": "n",
                "metric": "civilians_killed",
                "value": "104",
                "counted_by": "SNHR",
                "qualifier": "at_least",
                "period_end": "2024-12-01",
            },
        ]
    )
    est, conf = reconcile(c)
    assert conf["kind"].tolist() == ["disjoint_intervals"]
    assert conf["counters"].iloc[0] == "SNHR;SOHR"
    assert rows_of(est, "combined", "civilians_killed") == [("12-01", 61, 82, 104)]


def test_rules_pick_best_between_the_counters():
    c = claims(
        [
            {
                "claim_id": "o",
                "value": "100",
                "qualifier": "at_least",
                "counted_by": "SOHR",
                "period_end": "2024-12-01",
            },
            {
                "claim_id": "n",
                "value": "120",
                "qualifier": "about",
                "counted_by": "SNHR",
                "period_end": "2024-12-01",
            },
            {
                "claim_id": "n2",
                "value": "90",
                "qualifier": "about",
                "counted_by": "SNHR",
                "period_end": "2024-11-30",
            },
        ]
    )
    best = {}
    for rule in RULES:
        est, _ = reconcile(c, rule=rule)
        comb = est[(est["counter"] == "combined") & (est["date"] == "2024-12-01")].iloc[0]
        assert (comb["low"], comb["high"]) == (108, 132)
        assert comb["combine_rule"] == rule
        best[rule] = comb["best"]
    assert best["conservative"] == 108  # SOHR's 100, clipped into the band
    assert best["highest"] == 120
    assert best["consensus"] == round((100 * 1 + 120 * 2) / 3)  # weighted by claims so far
    assert best["median"] == 110
    est, _ = reconcile(c, rule="conservative")
    assert rows_of(est, "combined") == [("11-30", 81, 90, 99), ("12-01", 108, 108, 132)]


def test_known_on_uses_only_claims_published_by_then():
    c = claims(
        [
            {"claim_id": "a", "value": "300", "period_end": "2024-11-30"},
            {
                "claim_id": "b",
                "value": "400",
                "period_end": "2024-12-01",
                "published": "2024-12-03",
            },
        ]
    )
    est, _ = reconcile(c, known_on="2024-12-02")
    assert set(est["claim_ids"]) == {"a"}
    est, _ = reconcile(c, known_on="2024-12-03")
    assert set(est["claim_ids"]) == {"a", "b"}
    est, conf = reconcile(c, known_on="2024-01-01")
    assert est.empty and conf.empty
    contract.Estimates.validate(est)


def test_errors():
    c = claims([{"claim_id": "a", "value": "1", "period_end": "2024-12-01"}])
    with pytest.raises(UserError, match="unknown rule 'average'"):
        reconcile(c, rule="average")
    with pytest.raises(SchemaError, match="missing column.*low"):
        reconcile(c.drop(columns="low"))
    bad = c.assign(metric=pd.Series(["deaths"], dtype="object"))
    with pytest.raises(SchemaError, match="'deaths' is not in the vocabulary"):
        reconcile(bad)
    two = pd.concat([c, c], ignore_index=True)
    with pytest.raises(SchemaError, match="duplicate claim_id 'a'"):
        reconcile(two)


# ---------------------------------------------------------------------------------------------
# the real data: a small extract of data/raw/syria-2024/claims.csv (SOHR on 29 Nov - 2 Dec,
# SNHR on 1 Dec)
# ---------------------------------------------------------------------------------------------
REAL = """claim_id,metric,value,qualifier,period_start,period_end,published,location,subgroup,counted_by,reported_by,url,quote
C008,combatants_killed,218,exact,2024-11-27,2024-11-29,2024-11-29,Syria,,SOHR,AFP,https://sarajevotimes.com/more-than-240-killed-in-clashes-between-syrian-army-and-jihadists/?amp=1,"“The number of fighters killed in the ongoing… operation in the villages of Idlib and Aleppo has risen to 218 since Wednesday,” the monitor said."
C009,civilians_killed,24,exact,2024-11-27,2024-11-29,2024-11-29,Syria,,SOHR,AFP,https://sarajevotimes.com/more-than-240-killed-in-clashes-between-syrian-army-and-jihadists/?amp=1,"In addition to the fighters, 24 civilians were reported killed."
C010,killed,231,exact,2024-11-27,2024-11-29,2024-11-29,Syria,,SOHR,Europa Press,https://bliteoc.com/more-than-230-dead-in-the-rebel-offensive-against-the-syrian-army-in-the-province-of-aleppo/,"The organization has confirmed the death of 231 people, including twenty civilians, due to the fighting that broke out after the ‘Deterrence of Aggression’ offensive launched this Wednesday by different militias opposed to Bashar Al Assad’s regime."
C010a,civilians_killed,20,exact,2024-11-27,2024-11-29,2024-11-29,Syria,,SOHR,Europa Press,https://bliteoc.com/more-than-230-dead-in-the-rebel-offensive-against-the-syrian-army-in-the-province-of-aleppo/,"The organization has confirmed the death of 231 people, including twenty civilians, due to the fighting that broke out after the ‘Deterrence of Aggression’ offensive launched this Wednesday by different militias opposed to Bashar Al Assad’s regime."
C016,civilians_killed,61,exact,2024-11-27,2024-12-01,2024-12-01,Syria,,SOHR,AFP,https://laquotidienne.ma/article/international/Offensive-rebelle-Syrie,"D'après l'Observatoire syrien des droits de l'homme (OSDH), l'offensive a coûté la vie à 214 rebelles, à 137 membres des forces progouvernementales et à 61 civils, dont 17 tués dimanche, rapporte l'AFP."
C018,killed,417,at_least,2024-11-27,2024-12-02,2024-12-02,Syria,,SOHR,EFE,https://elpotosi.net/mundo/20241202_ataque-en-el-norte-de-siria-deja-mas-de-400-muertos.html,"Al menos 417 personas murieron, entre ellas 44 civiles, en los cinco días de ofensiva iniciada por las facciones islamistas respaldadas por Turquía en el noroeste de Siria, informó el Observatorio Sirio de Derechos Humanos."
C018a,civilians_killed,44,exact,2024-11-27,2024-12-02,2024-12-02,Syria,,SOHR,EFE,https://elpotosi.net/mundo/20241202_ataque-en-el-norte-de-siria-deja-mas-de-400-muertos.html,"Al menos 417 personas murieron, entre ellas 44 civiles, en los cinco días de ofensiva iniciada por las facciones islamistas respaldadas por Turquía en el noroeste de Siria, informó el Observatorio Sirio de Derechos Humanos."
C020,killed,514,exact,2024-11-27,2024-12-02,2024-12-02,Syria,,SOHR,Sarajevo Times,https://sarajevotimes.com/more-than-500-people-killed-in-new-escalation-of-violence-in-syria/,"The Syrian Observatory for Human Rights, which documents the violence in Syria, said 514 people had been killed, including 92 civilians."
C021,civilians_killed,92,exact,2024-11-27,2024-12-02,2024-12-02,Syria,,SOHR,Sarajevo Times,https://sarajevotimes.com/more-than-500-people-killed-in-new-escalation-of-violence-in-syria/,"The Syrian Observatory for Human Rights, which documents the violence in Syria, said 514 people had been killed, including 92 civilians."
C049a,combatants_killed,154,exact,2024-11-27,2024-12-02,2024-12-02,Syria,government forces,SOHR,dpa,https://mia.mk/en/story/syria-death-toll-surpasses-500-as-government-forces-intensify-strikes,"According to the observatory, at least 267 insurgents have been killed so far, while 154 fatalities have been recorded among al-Assad's forces and pro-government militias."
C110a,combatants_killed,156,exact,2024-11-27,2024-12-02,2024-12-03,Syria,government forces,SOHR,Lusa,https://lnginnorthernbc.ca/2024/12/03/worrying-escalation-of-the-war-in-syria-left-50000-people-displaced-in-just-a-few-days,"O The death toll from fighting in northern Syria rose to 514 this Mondayincluding 268 fighters from the Islamist group HTS and allied rebel factions, 156 pro-government soldiers and fighters and 92 civilians, announced the OSDH, an organization based in the United Kingdo"
C118,civilians_killed,104,at_least,2024-11-27,2024-12-01,2024-12-03,Syria,,SNHR,Al Jazeera,https://exbulletin.com/politics/2906026/,"According to the Syrian Human Rights Network (SNHR), an independent organization that has documented human rights violations in Syria since 2011, at least 104 civilians, including at least 27 children and nine women, were killed in Syria between November 27 and December 1."
"""


def test_real_contradictions_show_up_in_conflicts():
    raw = pd.read_csv(io.StringIO(REAL), dtype=str, keep_default_na=False, na_values=[""])
    c, rejects = validate(raw, "syria-2024/claims.csv")
    assert rejects.empty
    est, conf = reconcile(dedupe(c))
    got = {(k, ids) for k, ids in zip(conf["kind"], conf["claim_ids"], strict=True)}
    # 29 Nov: AFP's 218 fighters + 24 civilians exceed Europa Press's 231 dead
    assert ("parts_exceed_whole", "C008;C009;C010") in got
    # SOHR's civilians: 24 and 20 the same day; 61 on 1 Dec, then 44 and 92 on 2 Dec
    assert ("disjoint_intervals", "C009;C010a") in got
    assert ("non_monotone", "C016;C018a") in got
    assert ("disjoint_intervals", "C018a;C021") in got
    # SOHR's pro-government dead on 2 Dec: 154 (dpa) and 156 (Lusa)
    assert ("disjoint_intervals", "C049a;C110a") in got
    # SNHR's at least 104 civilians by 1 Dec against SOHR's 61 (then 44)
    cross = conf[(conf["kind"] == "disjoint_intervals") & (conf["counters"] == "SNHR;SOHR")]
    assert len(cross) and cross["claim_ids"].str.contains("C118").all()
    # nothing is dropped: every claim is behind some estimate
    ids = set(est["claim_ids"].dropna().str.split(";").explode())  # null: a part's days
    assert ids == set(c["claim_id"])
    assert (est["low"] <= est["best"]).all()


# ---------------------------------------------------------------------------------------------
# invariants (hypothesis)
# ---------------------------------------------------------------------------------------------
def _pool() -> pd.DataFrame:
    rows = []
    combos = itertools.product(
        ["killed", "civilians_killed", "idps"],
        ["SOHR", "SNHR"],
        ["2024-11-29", "2024-12-01", "2024-12-04"],
        [
            ("exact", "100"),
            ("at_least", "150"),
            ("about", "220"),
            ("more_than", "60"),
            ("at_most", "400"),
            ("exact", "300"),
        ],
    )
    for i, (m, who, day, (q, v)) in enumerate(combos):
        rows.append(
            {
                "claim_id": f"p{i:03d}",
                "metric": m,
                "counted_by": who,
                "period_end": day,
                "qualifier": q,
                "value": v,
            }
        )
    return claims(rows)


POOL = _pool()
PICK = st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=25, unique=True)


def _check_invariants(est):
    hi = est["high"].astype("Float64").fillna(np.inf)
    assert (est["low"] <= est["best"]).all()
    assert (est["best"].astype("Float64") <= hi).all()
    flows = est[est["kind"] == "flow"].sort_values("date")
    for _, g in flows.groupby(["metric", "location", "counter"], dropna=False):
        for col in ("low", "best"):
            assert g[col].is_monotonic_increasing, (col, g)
        assert g["high"].astype("Float64").fillna(np.inf).is_monotonic_increasing


# 15 ledgers a run, each reconciled three times (a reconcile costs ~0.5 s, most of it fixed):
# hypothesis draws new ledgers on every run, so the runs together try many more
@settings(max_examples=15, deadline=None)
@given(PICK, st.sampled_from(sorted(RULES)), st.randoms(use_true_random=False))
# found by this test: a figure spanning two disjoint intervals, read again after two figures
# "about 61" that allowed up to 242, was judged against a trend of 61 (a misprint of 60)
@example([100, 76, 22, 39, 30, 35, 66, 14, 3, 20, 9, 17, 27], "consensus", random.Random(1))
def test_invariants_order_and_idempotence(idx, rule, rnd):
    c = POOL.iloc[idx].reset_index(drop=True)
    est, conf = reconcile(c, rule=rule)
    _check_invariants(est)
    shuffled = c.sample(frac=1, random_state=rnd.randint(0, 10_000))
    est2, conf2 = reconcile(shuffled, rule=rule)
    pd.testing.assert_frame_equal(est, est2)
    pd.testing.assert_frame_equal(conf, conf2)
    # reconciling the estimates again (each as a claim: best, within low..high) changes nothing
    comb = est[est["counter"] != "combined"]
    again = pd.DataFrame(
        {
            "claim_id": [f"e{i}" for i in range(len(comb))],
            "metric": comb["metric"].to_numpy(),
            "value": comb["best"].to_numpy(),
            "qualifier": "about",
            "low": comb["low"].to_numpy(),
            "high": comb["high"].to_numpy(),
            "period_start": comb["series_start"].to_numpy(),
            "period_end": comb["date"].to_numpy(),
            "published": comb["date"].to_numpy(),
            "location": comb["location"].to_numpy(),
            "counted_by": comb["counter"].to_numpy(),
        }
    )
    est3, _ = reconcile(again, rule=rule)
    cols = ["metric", "location", "counter", "date", "low", "best", "high"]
    a = est[est["counter"] != "combined"][cols].reset_index(drop=True)
    b = est3[est3["counter"] != "combined"][cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
