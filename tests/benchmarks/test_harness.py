"""The benchmark harness: row arithmetic and the markdown it writes (no timing asserted)."""

import pytest

from benchmarks._harness import COLUMNS, BenchmarkRow, compare, compare_fit, report


def test_compare_calls_warmup_plus_repeats_and_scores_last_result():
    calls = {"lf": 0, "peer": 0}

    def lf():
        calls["lf"] += 1
        return calls["lf"]

    def peer():
        calls["peer"] += 1
        return 10 * calls["peer"]

    row = compare("w", lf, peer, learnflow_score=float, peer_score=lambda r: r / 2, repeats=3, warmup=2)
    assert calls == {"lf": 5, "peer": 5}
    assert row.learnflow_score == 5.0 and row.peer_score == 25.0
    assert row.learnflow_time >= 0 and row.peer_time >= 0
    assert row.ratio == pytest.approx(row.learnflow_time / row.peer_time)


def test_compare_interleaves_the_timed_runs():
    """Timed rounds alternate which side runs first (after all the warm-up runs)."""
    calls = []
    compare("w", lambda: calls.append("lf"), lambda: calls.append("peer"), repeats=4, warmup=1)
    assert calls == ["lf", "peer"] + ["lf", "peer", "peer", "lf"] * 2


def test_compare_fit_fits_fresh_estimators_on_the_train_part_and_scores_the_test_part():
    class Recorder:
        def __init__(self, offset):
            self.offset = offset

        def fit(self, X, y):
            self.fitted_on = (X, y)
            return self

        def score(self, X, y):
            assert self.fitted_on == ("X_train", "y_train") and (X, y) == ("X_test", "y_test")
            return self.offset

    made = []

    def make(offset):
        made.append(offset)
        return Recorder(offset)

    row = compare_fit("w", lambda: make(1.0), lambda: make(2.0), ("X_train", "X_test", "y_train", "y_test"),
                      repeats=2, warmup=1)
    assert sorted(made) == [1.0] * 3 + [2.0] * 3  # a fresh estimator per run
    assert (row.learnflow_score, row.peer_score, row.repeats) == (1.0, 2.0, 2)


def test_compare_without_scores():
    row = compare("w", lambda: None, lambda: None, repeats=1, warmup=0)
    assert row.learnflow_score is None and row.peer_score is None


@pytest.mark.parametrize("kwargs", [{"repeats": 0}, {"warmup": -1}])
def test_compare_rejects_bad_counts(kwargs):
    with pytest.raises(ValueError):
        compare("w", lambda: None, lambda: None, **kwargs)


def _table_rows(text):
    return [line for line in text.splitlines() if line.startswith("|")]


def test_report_writes_a_table_with_the_ratio(tmp_path, capsys):
    rows = [
        BenchmarkRow("fast", learnflow_time=0.5, peer_time=2.0, learnflow_score=0.91, peer_score=0.9),
        BenchmarkRow("slow", learnflow_time=3.0, peer_time=1.5),
        compare("real", lambda: 1, lambda: 2, learnflow_score=float, peer_score=float, repeats=2),
    ]
    path = tmp_path / "docs" / "benchmarks.md"
    report(rows, "my topic", machine="test machine", notes="tiny sizes", path=path)
    text = path.read_text()
    assert text.startswith("# Benchmarks")
    assert "below 1 means" in text
    assert "## my topic" in text and "test machine" in text and "tiny sizes" in text
    table = _table_rows(text)
    header = [c.strip() for c in table[0].strip("|").split("|")]
    assert header == list(COLUMNS)
    body = {cells[0]: cells for cells in ([c.strip() for c in line.strip("|").split("|")] for line in table[2:])}
    assert set(body) == {"fast", "slow", "real"}
    for row in rows:
        cells = body[row.name]
        assert float(cells[3]) == pytest.approx(row.learnflow_time / row.peer_time, abs=0.005)
        assert float(cells[1]) == pytest.approx(row.learnflow_time, rel=1e-3)
        assert float(cells[2]) == pytest.approx(row.peer_time, rel=1e-3)
    assert body["fast"][3] == "0.25" and body["slow"][3] == "2.00"
    assert float(body["fast"][4]) == 0.91 and body["slow"][4] == "-"
    assert "my topic" in capsys.readouterr().out


def test_report_appends_sections(tmp_path):
    path = tmp_path / "b.md"
    report([BenchmarkRow("a", 1.0, 1.0)], "first", machine="m", path=path)
    report([BenchmarkRow("b", 1.0, 4.0)], "second", machine="m", path=path)
    text = path.read_text()
    assert text.count("# Benchmarks") == 1
    assert text.index("## first") < text.index("## second")
    assert "| b | 1 | 4 | 0.25 |" in text


def test_report_default_machine_describes_cpu_and_torch(tmp_path):
    section = report([BenchmarkRow("a", 1.0, 2.0)], "t", path=tmp_path / "x.md")
    assert "torch" in section and "cores" in section and "device" in section
