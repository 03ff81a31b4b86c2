"""`qualcode agree --matrix`: everything the API accepts, nothing guessed, every bad input one message."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from qualcode.reliability import (
    alpha_details,
    cohen_kappa_details,
    conger_kappa_details,
    fleiss_kappa,
    gwet_ac2,
    krippendorff_alpha,
    scott_pi,
)

QC = [sys.executable, "-m", "qualcode"]

# Krippendorff's 3 coders x 15 units (Wikipedia; the krippendorff package's doctest): units 2 and 14
# were coded by no one.
KRIPPENDORFF_15 = """coder,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
A,,,,,,3,4,1,2,1,1,3,3,,3
B,1,,2,1,3,3,4,3,,,,,,,
C,,,2,1,3,4,4,,2,1,1,3,3,,4
"""


def run(*args):
    return subprocess.run([*QC, "agree", *map(str, args)], capture_output=True, text=True)


def ok(*args) -> str:
    proc = run(*args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def fails(*args) -> str:
    proc = run(*args)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    return proc.stderr


def coefficients(*args) -> dict:
    data = json.loads(ok(*args, "--json"))
    return data, {c["name"]: c for c in data["coefficients"]}


def test_krippendorff_15_units_with_empty_units(tmp_path):
    f = tmp_path / "k.csv"
    f.write_text(KRIPPENDORFF_15)
    data, c = coefficients("--matrix", f, "--resamples", "500")
    assert c["Krippendorff's alpha (nominal)"]["value"] == pytest.approx(0.691358, abs=5e-7)
    assert data["coders"] == ["A", "B", "C"] and data["units"] == 13 and data["left_out_units"] == 2
    text = ok("--matrix", f, "--resamples", "200")
    assert "0.691" in text
    assert "2 unit(s) coded by no one were left out" in text and "column 3" in text and "column 15" in text


def test_krippendorffs_own_missing_marks_are_missing_values(tmp_path):
    """Krippendorff writes a missing value as * (and the krippendorff package's doctest does): pasted as
    it stands, the example gives his alpha, not a category named '*'."""
    f = tmp_path / "k.csv"
    rows = KRIPPENDORFF_15.splitlines()
    starred = [rows[0]] + [",".join(c if c.strip() else "*" for c in r.split(",")) for r in rows[1:] if r.strip()]
    f.write_text("\n".join(starred) + "\n")
    assert "*" in f.read_text()
    data, c = coefficients("--matrix", f, "--resamples", "200")
    assert c["Krippendorff's alpha (nominal)"]["value"] == pytest.approx(0.691358, abs=5e-7)
    assert data["units"] == 13


def test_coders_with_no_value_are_left_out_and_said(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("coder,u1,u2,u3,u4\nA,1,2,3,1\nB,1,2,3,2\nC,,,,\n")
    data, c = coefficients("--matrix", f, "--resamples", "0")
    assert data["coders"] == ["A", "B"] and data["left_out_coders"] == ["C"]
    assert "1 coder(s) with no value were left out: C" in ok("--matrix", f, "--resamples", "0")


def test_large_random_matrix_with_missing_values(tmp_path):
    rng = np.random.default_rng(5)
    values = rng.integers(1, 6, size=(2, 20_000)).astype(float)
    values[rng.random(values.shape) < 0.10] = np.nan
    values[:, :3] = np.nan  # a few units nobody coded
    f = tmp_path / "big.csv"
    f.write_text("\n".join(",".join("" if np.isnan(v) else str(int(v)) for v in row) for row in values) + "\n")
    data, c = coefficients("--matrix", f, "--resamples", "100")
    assert c["Krippendorff's alpha (nominal)"]["value"] == pytest.approx(krippendorff_alpha(values), abs=1e-9)
    empty = int(np.isnan(values).all(axis=0).sum())
    assert empty > 3 and data["left_out_units"] == empty and data["units"] == 20_000 - empty
    assert data["coders"] == ["coder 1", "coder 2"]


def test_every_two_coder_coefficient_with_p_a_and_p_e(tmp_path):
    rows = [[1, 2, 3, 3, 2, 1, 4, 1, 2, 4], [1, 2, 3, 3, 2, 2, 4, 1, 2, 3]]
    f = tmp_path / "two.csv"
    f.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n")
    _, c = coefficients("--matrix", f, "--resamples", "0")
    k = cohen_kappa_details(rows)
    assert c["Cohen's kappa"]["value"] == pytest.approx(k.value)
    assert c["Cohen's kappa"]["p_a"] == pytest.approx(k.p_a) and c["Cohen's kappa"]["p_e"] == pytest.approx(k.p_e)
    assert c["Scott's pi"]["value"] == pytest.approx(scott_pi(rows))
    assert c["Fleiss' kappa"]["value"] == pytest.approx(fleiss_kappa(rows))
    assert c["Conger's kappa"]["value"] == pytest.approx(conger_kappa_details(rows).value)
    assert c["Hubert's kappa"]["value"] == pytest.approx(conger_kappa_details(rows).value)
    for name in ("Gwet's AC1", "Brennan-Prediger (Bennett's S, free-marginal kappa)", "percent agreement "
                 "(exact match, units equal)", "Krippendorff's alpha (nominal)"):
        assert c[name]["value"] is not None
    assert c["Gwet's AC1"]["p_e"] is not None


def test_weights_and_category_scores(tmp_path):
    rows = [["low", "mid", "high", "mid", "low", "high", "top", "low"],
            ["low", "high", "high", "mid", "mid", "top", "top", "low"]]
    cats, scores = ["low", "mid", "high", "top"], [0, 1, 2, 10]
    f = tmp_path / "t.csv"
    f.write_text("\n".join(",".join(r) for r in rows) + "\n")
    base = ("--matrix", f, "--level", "ordinal", "--categories", ",".join(cats), "--resamples", "0")
    _, c = coefficients(*base, "--weights", "quadratic")
    assert c["Cohen's kappa (quadratic weights)"]["value"] == pytest.approx(
        cohen_kappa_details(rows, categories=cats, weights="quadratic").value)
    assert c["Gwet's AC2 (quadratic weights)"]["value"] == pytest.approx(
        gwet_ac2(rows, categories=cats, weights="quadratic"))
    _, s = coefficients(*base, "--weights", "linear", "--scores", ",".join(map(str, scores)))
    expected = cohen_kappa_details(rows, categories=cats, weights="linear", category_scores=scores).value
    assert s["Cohen's kappa (linear weights)"]["value"] == pytest.approx(expected)
    assert expected != pytest.approx(cohen_kappa_details(rows, categories=cats, weights="linear").value)
    w = tmp_path / "w.csv"
    w.write_text("1,0.5,0,0\n0.5,1,0.5,0\n0,0.5,1,0.5\n0,0,0.5,1\n")
    _, cw = coefficients(*base, "--weights", w)
    matrix = np.loadtxt(w, delimiter=",")
    assert cw["Cohen's kappa (custom weights)"]["value"] == pytest.approx(
        cohen_kappa_details(rows, categories=cats, weights=matrix).value)


def test_ordinal_text_needs_an_order_and_the_order_is_printed(tmp_path):
    f = tmp_path / "w.csv"
    f.write_text("low,mid,high,mid,low,high\nlow,high,high,mid,mid,high\n")
    err = fails("--matrix", f, "--level", "ordinal")
    assert "w.csv" in err and "--categories" in err and "will not guess" in err
    out = ok("--matrix", f, "--level", "ordinal", "--categories", "low,mid,high", "--resamples", "0")
    assert "Categories (as given by --categories): low, mid, high" in out
    rows = [["low", "mid", "high", "mid", "low", "high"], ["low", "high", "high", "mid", "mid", "high"]]
    expected = krippendorff_alpha(rows, "ordinal", categories=["low", "mid", "high"])
    _, c = coefficients("--matrix", f, "--level", "ordinal", "--categories", "low,mid,high", "--resamples", "0")
    assert c["Krippendorff's alpha (ordinal)"]["value"] == pytest.approx(expected)
    err = fails("--matrix", f, "--level", "interval", "--categories", "low,mid,high")
    assert "--scores" in err


def test_coder_ids_are_read_as_names_only_when_said(tmp_path):
    f = tmp_path / "ids.csv"
    f.write_text("1,1,2,3,1\n2,1,2,3,2\n")
    plain = json.loads(ok("--matrix", f, "--json", "--resamples", "0"))
    assert plain["units"] == 5 and plain["coders"] == ["coder 1", "coder 2"] and plain["coder_column"] is False
    named = json.loads(ok("--matrix", f, "--json", "--resamples", "0", "--coder-column"))
    assert named["units"] == 4 and named["coders"] == ["1", "2"]
    assert named["coefficients"][0]["value"] == pytest.approx(krippendorff_alpha([[1, 2, 3, 1], [1, 2, 3, 2]]))
    text = ok("--matrix", f, "--resamples", "0")
    assert "no coder-name column (--coder-column if the first column names the coders)" in text
    h = tmp_path / "h.csv"
    h.write_text("rater,u1,u2,u3,u4\n10,1,2,3,1\n20,1,2,3,2\n")
    assert json.loads(ok("--matrix", h, "--json", "--resamples", "0"))["coders"] == ["10", "20"]
    hdr = tmp_path / "hdr.csv"
    hdr.write_text("u1,u2,u3,u4\n1,2,3,1\n1,2,3,2\n")
    assert json.loads(ok("--matrix", hdr, "--json", "--resamples", "0", "--header"))["units"] == 4


def test_a_first_column_of_names_is_asked_about_not_guessed(tmp_path):
    f = tmp_path / "names.csv"
    f.write_text("ann,yes,no,yes,no\nben,yes,no,no,no\n")
    err = fails("--matrix", f)
    assert "names.csv:1:" in err and "will not guess" in err and "--coder-column" in err
    named = json.loads(ok("--matrix", f, "--coder-column", "--json", "--resamples", "0"))
    assert named["coders"] == ["ann", "ben"] and named["units"] == 4
    as_values = json.loads(ok("--matrix", f, "--no-coder-column", "--json", "--resamples", "0"))
    assert as_values["units"] == 5 and as_values["coders"] == ["coder 1", "coder 2"]


def test_one_and_one_point_zero_are_one_category(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_text("1,1.0,x,2,y\n1.0,1,x,2.0,y\n")
    data, c = coefficients("--matrix", f, "--resamples", "0")
    assert sorted(map(str, data["categories"])) == ["1", "2", "x", "y"]
    assert c["percent agreement (exact match, units equal)"]["value"] == 1.0


@pytest.mark.parametrize("content, args, message", [
    ("coder,u1,u2\n", (), "header row but no coder rows"),
    ("coder\n", (), "header row but no coder rows"),
    ("a,1,2\na,1,2\n", ("--coder-column",), "coder 'a' has two rows"),
    ("1,2,3\n1,2,3\n", ("--weights", "nofile.csv"), "file not found"),
    ("1,2,3\n1,2,2\n", ("--level", "ordinal", "--scores", "1,x,3"), "--scores: 'x' is not a number"),
    ("1,2,3\n1,2,2\n", ("--level", "ordinal", "--scores", "1,2"), "--scores has 2 number(s) but there are 3"),
    ("1,2,3\n1,2,2\n", ("--categories", "1,2"), "not in the categories"),
    (",,\n,,\n", (), "is empty"),
])
def test_bad_input_is_one_message(tmp_path, content, args, message):
    f = tmp_path / "m.csv"
    f.write_text(content)
    err = fails("--matrix", f, *args)
    assert message in err and ("m.csv" in err or "nofile.csv" in err)


def test_bad_weights_file_names_its_line(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("1,2,3\n1,2,2\n")
    w = tmp_path / "w.csv"
    w.write_text("1,0.5,0\n0.5,1,oops\n0,0.5,1\n")
    err = fails("--matrix", f, "--weights", w)
    assert "w.csv:2:" in err and "'oops' is not a number" in err


def test_verdict_reads_the_interval_not_the_point(tmp_path):
    f = tmp_path / "small.csv"
    f.write_text("1,2,1,2\n1,2,1,2\n")  # alpha = 1 on four units
    data, c = coefficients("--matrix", f, "--resamples", "500")
    alpha = c["Krippendorff's alpha (nominal)"]
    assert alpha["value"] == 1.0 and alpha["verdict"].startswith("insufficient data (n = 4")
    assert alpha_details([[1, 2, 1, 2], [1, 2, 1, 2]]).alpha == 1.0


def test_a_custom_weights_table_gives_the_custom_distance_alpha_too(tmp_path):
    """Artstein & Poesio's example with DKPro's custom table: weighted kappa 0.8163 and alpha 0.8156
    (weights = 1 - distance). The command line gave the kappa only; the alpha needed the API."""
    from tests.reliability.test_reference_cases import CASES_FILE

    if not CASES_FILE.exists():
        pytest.skip(f"shared reference cases not found at {CASES_FILE}")
    cases = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    case = next(c for c in (cases["cases"] if isinstance(cases, dict) else cases)
                if c["id"] == "artstein_poesio2008_table2_3cats")
    data = tmp_path / "ap.csv"
    data.write_text("".join(",".join(row) + "\n" for row in case["data"]), encoding="utf-8")
    distance = next(e for e in case["expected"] if e["coefficient"] == "krippendorff_alpha"
                    and "distance_matrix" in e.get("params", {}))
    weights = tmp_path / "w.csv"
    weights.write_text("".join(",".join(str(1 - d) for d in row) + "\n" for row in distance["params"]["distance_matrix"]),
                       encoding="utf-8")
    out = json.loads(ok("--matrix", data, "--categories", ",".join(case["categories"]), "--weights", weights, "--json"))
    rows = out["coefficients"] if isinstance(out, dict) else out
    values = {r["name"]: r["value"] for r in rows}
    assert abs(values["Krippendorff's alpha (custom distances, 1 - weights)"] - distance["value"]) <= distance["tolerance"]
    assert abs(values["Cohen's kappa (custom weights)"] - 0.8163) <= 5e-05


def test_a_coder_row_with_no_value_is_left_out_and_said_keeping_the_others_numbers(tmp_path):
    data = tmp_path / "e.csv"
    data.write_text("1,2,3,1\n,,,\n1,2,3,2\n", encoding="utf-8")
    out = ok("--matrix", data)
    assert "2 coders (coder 1, coder 3)" in out and "left out: coder 2" in out
