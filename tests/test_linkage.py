"""Record linkage of victim lists (stats.linkage), scored on simulated lists with known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stats.linkage import THRESHOLD, cluster_links, link_records, score_pairs
from stats.simulate_lists import simulate_lists


@pytest.fixture(scope="module")
def sim():
    return simulate_lists(seed=1, n=4000)


@pytest.fixture(scope="module")
def linked(sim):
    return link_records(sim.records)


def test_precision_and_recall_of_pairs_meet_the_targets(sim, linked):
    score = score_pairs(linked.clusters, sim.truth)
    assert score["precision"] >= 0.98
    assert score["recall"] >= 0.95


def test_cross_script_and_within_list_duplicates_are_found(sim, linked):
    both = linked.clusters.merge(sim.truth, on=["list", "record_id"])
    ministry = both.loc[both["list"] == "ministry"].set_index("person_id")["cluster_id"]
    rights = both.loc[both["list"] == "rights_group"].set_index("person_id")["cluster_id"]
    common = ministry.index.intersection(rights.index).unique()
    ministry = ministry.groupby(level=0).first()
    rights = rights.groupby(level=0).first()
    assert (ministry[common] == rights[common]).mean() > 0.9  # Arabic script vs Latin
    twice = both.groupby(["list", "person_id"]).filter(lambda g: len(g) == 2)
    found = twice.groupby(["list", "person_id"])["cluster_id"].nunique().eq(1).mean()
    assert len(twice) > 0 and found > 0.8


def test_outputs_for_review(sim, linked):
    c, p = linked.clusters, linked.pairs
    assert len(c) == len(sim.records) and c["cluster_id"].notna().all()
    assert (c.groupby("cluster_id").size() == c.groupby("cluster_id")["cluster_size"].first()).all()
    assert set(p["decision"]) <= {"linked", "refused", "not linked"}
    assert (p.loc[p["decision"] != "not linked", "match_probability"] >= THRESHOLD).all()
    assert (p.loc[p["decision"] == "not linked", "match_probability"] < THRESHOLD).all()
    weights = p.filter(like="weight_")
    assert {"weight_given_name", "weight_family_name", "weight_date"} <= set(weights.columns)
    prior = p["match_weight"] - weights.sum(axis=1)
    assert np.allclose(prior, prior.iloc[0])  # the same prior log-odds for every pair
    review = linked.review()
    assert len(review) == len(p) and "decision" in review
    assert linked.model["probability_two_random_records_match"] > 0


def test_same_seed_same_result(sim):
    small = sim.records.iloc[:1500].reset_index(drop=True)
    a, b = link_records(small), link_records(small)
    pd.testing.assert_frame_equal(a.clusters, b.clusters)


def test_bad_threshold():
    with pytest.raises(ValueError, match=r"threshold must be a probability in \(0, 1\)"):
        link_records(simulate_lists(seed=1, n=300).records, threshold=1.5)


def test_cluster_links_refuses_two_unlinked_records_of_one_list():
    # 0-1 and 1-2 linked, 0 and 2 on the same list and not linked: the weaker link is refused
    p = np.array([0.9, 0.8, 0.7])
    c, d = cluster_links(4, np.array([0, 1, 2]), np.array([1, 2, 3]), p, np.array([0, 1, 0, 2]))
    assert d.tolist() == ["linked", "refused", "linked"]
    assert c[0] == c[1] and c[2] == c[3] and c[0] != c[2]
    # a duplicate linked to its twin directly is kept
    c, d = cluster_links(3, np.array([0, 0, 1]), np.array([1, 2, 2]), p, np.array([0, 1, 0]))
    assert d.tolist() == ["linked"] * 3 and len(set(c)) == 1


def test_cluster_links_refuses_a_merge_its_cross_pairs_speak_against():
    # two people on four lists, each pair strongly linked (0-1, 2-3), and one wrong link 1-2:
    # of the four cross pairs one is linked (0.7), one scored low (0.1), two not scored (0),
    # so their mean 0.2 is below MIN_AVERAGE = 0.3 and the wrong link is refused
    left, right = np.array([0, 2, 1, 0]), np.array([1, 3, 2, 3])
    lists = np.array([0, 1, 2, 3])
    c, d = cluster_links(4, left, right, np.array([0.99, 0.98, 0.7, 0.1]), lists)
    assert d.tolist() == ["linked", "linked", "refused"]
    assert c.tolist() == [0, 0, 1, 1]
    # the same link kept where the cross pairs' mean (0.7 + 0.4) / 4 = 0.275 is enough
    c, d = cluster_links(4, left, right, np.array([0.99, 0.98, 0.7, 0.4]), lists, min_average=0.25)
    assert d.tolist() == ["linked"] * 3 and len(set(c)) == 1
    # and where every pair is linked the component is kept whole, whatever min_average
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])
    c, d = cluster_links(3, left, right, np.array([0.9, 0.8, 0.6]), lists[:3], min_average=0.99)
    assert d.tolist() == ["linked"] * 3 and len(set(c)) == 1


def test_score_pairs_counts_pairs():
    clusters = pd.DataFrame({"list": list("AABB"), "record_id": list("1212"),
                             "cluster_id": ["x", "x", "x", "y"]})  # fmt: skip
    truth = clusters.drop(columns="cluster_id").assign(person_id=[1, 2, 1, 2])
    s = score_pairs(clusters, truth)
    assert (s["linked_pairs"], s["true_pairs"], s["correct_pairs"]) == (3, 2, 1)
    assert s["precision"] == pytest.approx(1 / 3) and s["recall"] == pytest.approx(1 / 2)
    with pytest.raises(ValueError, match="needs a person_id"):
        score_pairs(clusters, truth.iloc[:2])


def test_link_command_writes_clusters_review_and_patterns(sim, tmp_path, capsys):
    from stats import disk
    from stats.cli import main

    part = sim.records.iloc[::3]
    disk.write_csv(part, tmp_path / "victims.csv")
    out = tmp_path / "out"
    code = main(["link", str(tmp_path / "victims.csv"), "-o", str(out), "--periods", "2013-01-01"])
    assert code == 0
    assert f"{len(part)} records from 4 lists" in capsys.readouterr().err
    clusters = pd.read_csv(out / "clusters.csv")
    assert len(clusters) == len(part)
    patterns = pd.read_csv(out / "patterns.csv")
    assert patterns["count"].sum() == clusters["cluster_id"].nunique()
    assert {"status", "reason"} <= set(pd.read_csv(out / "strata.csv").columns)
    assert "decision" in pd.read_csv(out / "review.csv").columns
    assert main(["link", str(tmp_path / "missing.csv"), "-o", str(out)]) == 2


@pytest.mark.slow
def test_simulate_lists_command(capsys):
    from stats.cli import main

    assert main(["simulate-lists", "--seed", "3", "--n", "1500", "--method", "main"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "targets: pair precision >= 0.98" in out
    assert main(["simulate-lists", "--runs", "0"]) == 2
