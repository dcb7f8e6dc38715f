"""Tests for stats.plots: what each chart draws, its labels, and its error paths."""

from __future__ import annotations

import io

import conftest as F
import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from stats import plots
from stats.errors import UserError


@pytest.fixture(scope="module")
def tables():
    return F.daily(), F.claims(), F.events()


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_plots_leave_the_backend_and_pyplot_alone(tables):
    import subprocess
    import sys

    code = (
        "import sys, matplotlib; before = matplotlib.rcParams._get_backend_or_none(); "
        "import stats.plots as p, conftest as F; "
        "p.plot_overview(F.daily()).savefig('/dev/null', format='png'); "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'; "
        "assert matplotlib.rcParams._get_backend_or_none() == before"
    )
    env = {"PYTHONPATH": "tests", "MPLBACKEND": "module://nonexistent_backend"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr


def test_cumulative_returns_axes_with_labels(tables):
    d, c, e = tables
    ax = plots.plot_cumulative(d, c, e, metric="killed", known_on="2024-12-08")
    assert isinstance(ax, Axes)
    title = ax.get_title(loc="left")
    assert "Killed in Syria" in title and "as known on 08 Dec 2024" in title
    assert ax.get_ylabel() == "people"
    assert _png(ax.figure).startswith(b"\x89PNG")


def test_cumulative_draws_on_given_axes(tables):
    d, c, e = tables
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.plot_cumulative(d, c, e, metric="killed", ax=ax) is ax


def test_cumulative_markers_hollow_for_floors(tables):
    d, c, _ = tables
    ax = plots.plot_cumulative(d, c, metric="killed")
    markers = [ln for ln in ax.lines if ln.get_linestyle() == "None"]
    n_points = sum(len(ln.get_xdata()) for ln in markers)
    assert n_points == int((c["metric"] == "killed").sum())
    hollow = [ln for ln in markers if ln.get_markerfacecolor() == "none"]
    # the one "more than" claim of the killed series
    assert sum(len(ln.get_xdata()) for ln in hollow) == 1


def test_cumulative_marker_style_per_counter(tables):
    d, c, _ = tables
    styles = plots.counter_styles(c["counted_by"])
    ax = plots.plot_cumulative(d, c, metric="killed", styles=styles)
    drawn = {
        (ln.get_marker(), matplotlib.colors.to_hex(ln.get_markeredgecolor()))
        for ln in ax.lines
        if ln.get_linestyle() == "None"
    }
    for counter in ("SOHR", "SNHR"):
        st = styles[counter]
        assert (st["marker"], st["color"].lower()) in drawn


def test_cumulative_nowcast_dashed_and_events_labelled(tables):
    d, c, e = tables
    ax = plots.plot_cumulative(d, c, e, metric="killed")
    dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert dashed, "nowcast days should be drawn dashed"
    numbers = [t.get_text() for t in ax.texts]
    assert numbers == ["1", "2"]
    key = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert key == ["1  30 Nov  Rebels enter Aleppo", "2  08 Dec  Damascus falls; Assad leaves"]


def test_cumulative_leaves_gaps_for_missing(tables):
    d, _, _ = tables
    d = d.copy()
    sel = (d["metric"] == "killed") & (d["counter"] == "combined")
    idx = d.index[sel][3]
    d.loc[idx, ["cum_low", "cum_best", "cum_high"]] = pd.NA
    ax = plots.plot_cumulative(d, metric="killed")
    y = ax.lines[-1].get_ydata() if ax.lines else []
    assert np.isnan(np.asarray(y, dtype=float)).any() or any(
        np.isnan(np.asarray(ln.get_ydata(), dtype=float)).any() for ln in ax.lines
    )


def test_does_not_mutate_inputs(tables):
    d, c, e = tables
    before = (d.copy(), c.copy(), e.copy())
    plots.plot_cumulative(d, c, e, metric="killed")
    plots.plot_sources(d, c, metric="killed")
    plots.plot_overview(d)
    plots.plot_daily_new(d, metric="killed")
    for a, b in zip((d, c, e), before, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_daily_new_bars_one_per_day(tables):
    d, _, _ = tables
    ax = plots.plot_daily_new(d, metric="killed", known_on="2024-12-08")
    n_days = int(((d["metric"] == "killed") & (d["counter"] == "combined")).sum())
    assert len(ax.patches) == n_days
    assert "new each day" in ax.get_title(loc="left")


def test_sources_one_panel_per_counter_shared_scale(tables):
    d, c, _ = tables
    fig = plots.plot_sources(d, c, metric="killed")
    assert isinstance(fig, Figure)
    visible = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title(loc="left") for a in visible] == ["SNHR", "SOHR"]
    assert len({a.get_ylim() for a in visible}) == 1


def test_sources_includes_counters_known_only_by_claims(tables):
    d, c, _ = tables
    fig = plots.plot_sources(d, c, metric="civilians_killed")
    titles = [a.get_title(loc="left") for a in fig.axes if a.get_visible()]
    assert titles == ["OCHA", "SOHR"]


def test_overview_panel_per_metric_in_vocab_order(tables):
    d, _, _ = tables
    fig = plots.plot_overview(d, known_on="2024-12-08")
    titles = [a.get_title(loc="left") for a in fig.axes if a.get_visible()]
    assert titles == ["Killed in Syria", "Civilians killed in Syria", "Displaced in Syria"]
    assert "as known on 08 Dec 2024" in fig.get_suptitle()


def test_thousands_separator_on_axis(tables):
    d, c, _ = tables
    ax = plots.plot_cumulative(d, c, metric="displaced")
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any("," in t for t in labels)


def test_counter_styles_stable_and_distinct():
    a = plots.counter_styles(["SOHR", "OCHA", "SNHR"])
    b = plots.counter_styles(["SNHR", "SOHR", "OCHA"])
    assert a == b
    assert len({(v["color"], v["marker"]) for v in a.values()}) == 3
    assert all(v["color"] in plots.OKABE_ITO for v in a.values())


def test_unknown_metric_raises(tables):
    d, _, _ = tables
    with pytest.raises(UserError, match="no rows for metric 'vehicles'"):
        plots.plot_cumulative(d, metric="vehicles")


def test_unknown_location_raises(tables):
    d, _, _ = tables
    with pytest.raises(UserError, match="in location 'Homs'"):
        plots.plot_daily_new(d, metric="killed", location="Homs")


def test_missing_column_raises(tables):
    d, _, _ = tables
    with pytest.raises(UserError, match="missing column.*cum_best"):
        plots.plot_overview(d.drop(columns="cum_best"))


def test_sources_without_counters_raises(tables):
    d, _, _ = tables
    with pytest.raises(UserError, match="no counter's own figures"):
        plots.plot_sources(d[d["counter"] == "combined"], None, metric="displaced")


def test_overview_without_series_raises(tables):
    d, _, _ = tables
    with pytest.raises(UserError, match="no combined series"):
        plots.plot_overview(d, metrics=["vehicles"])


def test_main_location_prefers_the_place_that_contains_others():
    # Homs and north-west Syria both lie in Syria; north-west Syria contains Idleb, so it is
    # the broader one, whatever the alphabet or the number of rows says
    rows = pd.DataFrame({"location": ["Homs", "Homs", "north-west Syria"]})
    assert plots.main_location(rows) == "north-west Syria"


def test_dollar_signs_in_data_are_drawn_as_text(tables):
    daily, claims, events = tables
    claims = claims.assign(counted_by="US$5 and US$6 fund")
    ax = plots.plot_cumulative(daily, claims, events, metric="killed", location="Syria")
    texts = [t for t in ax.figure.findobj(matplotlib.text.Text) if "$" in t.get_text()]
    assert texts, "the counter's name is drawn"
    _png(ax.figure)
    assert not any(t.get_parse_math() for t in texts)


def test_eventual_toll_band_is_drawn_and_named_when_daily_has_it(tables):
    _daily, claims, events = tables
    d = F.daily_with_eventual()
    ax = plots.plot_cumulative(d, claims, events, metric="killed", location="Syria")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "expected eventual toll, 90% interval" in labels
    # the band reaches the delay model's high, above the literal band
    top = max(p.get_paths()[0].vertices[:, 1].max() for p in ax.collections if p.get_paths())
    assert top >= float(d.loc[(d.metric == "killed") & (d.counter == "combined"), "est_high"].max())
    fig = plots.plot_overview(d)
    assert any(
        "expected eventual toll" in t.get_text()
        for a in fig.axes if a.get_legend() for t in a.get_legend().get_texts()
    )  # fmt: skip


def test_without_eventual_columns_nothing_is_added(tables):
    daily, claims, events = tables
    ax = plots.plot_cumulative(daily, claims, events, metric="killed", location="Syria")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any("eventual" in x for x in labels)


def _pixels(fig: Figure, dpi: int) -> np.ndarray:
    import matplotlib.image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    buf.seek(0)
    return matplotlib.image.imread(buf, format="png")


@pytest.mark.parametrize("dpi", [100, 150])
def test_claim_marks_fall_on_the_markers_of_the_saved_image(tables, dpi):
    d, c, e = tables
    styles = plots.counter_styles(c["counted_by"].dropna())
    fig = plots.plot_cumulative(d, c, e, metric="killed", styles=styles).figure
    img = _pixels(fig, dpi)
    marks = plots.claim_marks(fig, dpi)
    drawn = c[c["metric"] == "killed"]
    assert sorted(marks["claim_id"]) == sorted(drawn["claim_id"])
    assert img.shape[1] == round(fig.bbox.width * dpi / fig.dpi)
    by_id = drawn.set_index("claim_id")
    for m in marks.itertuples():
        colour = matplotlib.colors.to_rgb(styles[by_id.loc[m.claim_id, "counted_by"]]["color"])
        y, x, r = round(m.y), round(m.x), round(m.r)
        near = img[y - r : y + r + 1, x - r : x + r + 1, :3].reshape(-1, 3)
        # the marker's colour (its edge, hollow or filled) is drawn inside the mark's area
        assert np.abs(near - colour).max(axis=1).min() < 0.1, m.claim_id
        assert m.r >= plots.MARK_MIN_RADIUS * dpi / fig.dpi


def test_claim_marks_of_a_chart_without_claims_are_empty(tables):
    d, _, _ = tables
    fig = plots.plot_cumulative(d, None, metric="killed").figure
    fig.draw_without_rendering()
    assert plots.claim_marks(fig).empty
    assert list(plots.claim_marks(fig).columns) == ["claim_id", "x", "y", "r"]


def test_claim_marks_of_each_counter_panel(tables):
    d, c, _ = tables
    fig = plots.plot_sources(d, c, metric="killed")
    fig.draw_without_rendering()
    marks = plots.claim_marks(fig)
    assert sorted(marks["claim_id"]) == sorted(c.loc[c["metric"] == "killed", "claim_id"])
