"""`qualcode agree` on the bundled study: the "(sets of codes)" row has no interval and reads
"tentative (no interval)", as docs/reliability.md ("The verdict", point 3) says it should; the legend
under the table used to name only "no interval: not judged" (for unitizing alpha), so the verdict and
the legend disagreed. The legend now says how a row without an interval is read."""

from __future__ import annotations

import json
import subprocess
import sys

QC = [sys.executable, "-m", "qualcode"]


def agree(*args, cwd) -> str:
    proc = subprocess.run([*QC, "agree", *args], capture_output=True, text=True, cwd=cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def _split(out: str) -> tuple[str, str]:
    """(the line of the "(sets of codes)" row, everything printed after the table)."""
    lines = out.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("(sets of codes)"))
    return lines[at], "\n".join(lines[at + 1:])


def test_the_sets_of_codes_verdict_is_the_one_the_legend_describes(study_copy):
    row, legend = _split(agree(cwd=study_copy))
    assert row.rstrip().endswith("tentative (no interval)"), row
    assert "not judged" not in row
    # the legend says what a verdict without an interval means, and names this row
    assert "sets-of-codes row" in legend
    assert "\"tentative (no interval)\"" in legend
    assert "read with the same thresholds" in legend
    # no row here is unitizing alpha: the legend no longer speaks of "not judged", which no row shows
    assert "not judged" not in legend


def test_the_unitized_legend_keeps_not_judged_and_names_no_point_verdict(study_copy):
    out = agree("--unit", "unitized", cwd=study_copy)
    assert "Unitizing alpha has no interval, so it is not judged" in out
    assert "(no interval)" not in out


def test_with_resamples_0_every_verdict_is_explained_and_json_carries_the_same_rule(study_copy):
    out = agree("--resamples", "0", "--code", "statutory.framework.within", cwd=study_copy)
    row = next(ln for ln in out.splitlines() if ln.startswith("statutory.framework.within"))
    assert row.rstrip().endswith("(no interval)"), row
    legend = out.split(row, 1)[1]
    assert "rows per transcript, --resamples 0), alpha itself is read with the same thresholds" in legend
    data = json.loads(agree("--json", "--resamples", "0", cwd=study_copy))
    assert "\"tentative (no interval)\"" in data["verdict_rule"] and "not judged" not in data["verdict_rule"]
    assert data["verdict_rule"] in data["caption"]  # the Word report's caption says the same


def test_matrix_with_resamples_0_explains_its_no_interval_verdicts(tmp_path):
    ratings = tmp_path / "ratings.csv"
    a = [1 + i % 4 for i in range(400)]  # enough units for a verdict; B differs on every tenth
    b = [v if i % 10 else 1 + (v % 4) for i, v in enumerate(a)]
    ratings.write_text("\n".join(["coder," + ",".join(str(i + 1) for i in range(400)),
                                   "A," + ",".join(map(str, a)), "B," + ",".join(map(str, b))]) + "\n",
                       encoding="utf-8")
    out = agree("--matrix", ratings, "--resamples", "0", cwd=tmp_path)
    row = next(ln for ln in out.splitlines() if ln.startswith("Krippendorff's alpha"))
    assert " reliable (no interval) " in row, row
    assert "Where no interval was computed for a row (--resamples 0), alpha itself is read" in out
    assert "not judged" not in out and "sets-of-codes" not in out
