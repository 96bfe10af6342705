"""Step 7 of the checklist: present the results as one HTML page."""

# SPDX-License-Identifier: BSD-3-Clause

import html

__all__ = ["write_report"]


def _table(frame, float_format="{:.4f}"):
    return frame.to_html(float_format=float_format.format, border=0, classes="table")


def write_report(result, exploration, target, *, elapsed):
    """Write ``result.report_path``: framing, exploration, leaderboard, test score."""
    figures = "".join(
        f'<figure><img src="{html.escape(name)}" alt="{html.escape(key)}"><figcaption>{html.escape(key)}</figcaption></figure>'
        for key, name in exploration["figures"].items()
    )
    correlations = exploration["correlations"]
    correlation_html = "" if correlations is None else (
        f"<h2>Correlation with {html.escape(target)}</h2>" + _table(correlations.to_frame("correlation"))
    )
    low, high = result.confidence_interval
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>learnflow project: {html.escape(target)}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:auto}} .table td,.table th{{padding:2px 8px}}
img{{max-width:100%}}</style></head><body>
<h1>Predicting {html.escape(target)}</h1>
<p>{html.escape(result.task)}; {result.n_train} training rows, {result.n_test} test rows
(stratified on {html.escape(str(result.stratified_on))}); run time {elapsed:.1f} s.</p>
<h2>Test result</h2>
<p><b>{html.escape(result.best_name)}</b> {html.escape(str(result.best_params))}:
test {result.metric} <b>{result.test_score:.4f}</b>, 95% confidence interval [{low:.4f}, {high:.4f}].</p>
<h2>Shortlist (cross-validation)</h2>{_table(result.leaderboard)}
<ul>{notes}</ul>
<h2>Exploration</h2>{figures}{correlation_html}
<h3>Missing values</h3>{_table(exploration["missing"].to_frame())}
<h3>Summary</h3>{_table(exploration["summary"], "{:.3f}")}
</body></html>
"""
    result.report_path.write_text(page, encoding="utf-8")
