"""`qualcode agree --matrix FILE --transpose`: a file with one row per unit and one column per coder (the
SPSS/R layout) gives the numbers the same data written coders x units give; its errors say it the
right way round."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import shared_path

QC = [sys.executable, "-m", "qualcode"]


def run(*args):
    return subprocess.run([*QC, "agree", *map(str, args)], capture_output=True, text=True)


def coefficients(*args) -> tuple[dict, dict]:
    proc = run(*args, "--json", "--resamples", "300")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    return data, {c["name"]: c for c in data["coefficients"]}


def _case(case_id: str) -> dict:
    cases = json.loads(shared_path("reliability", "reference_cases.json").read_text(encoding="utf-8"))["cases"]
    return next(c for c in cases if c["id"] == case_id)


def _cell(v) -> str:
    return "" if v is None else str(v)


def _files(tmp_path, case) -> tuple:
    data = case["data"]
    coders = case.get("coders") or [f"r{i + 1}" for i in range(len(data))]
    n = len(data[0])
    wide = tmp_path / "coders_x_units.csv"
    wide.write_text("coder," + ",".join(f"u{j + 1}" for j in range(n)) + "\n"
                    + "".join(f"{c}," + ",".join(map(_cell, row)) + "\n" for c, row in zip(coders, data)))
    long = tmp_path / "units_x_coders.csv"
    long.write_text("unit," + ",".join(coders) + "\n"
                    + "".join(f"u{j + 1}," + ",".join(_cell(row[j]) for row in data) + "\n" for j in range(n)))
    return wide, long


@pytest.mark.parametrize("case_id", ["kripp2011_c_nominal_missing", "fleiss1971_diagnoses"])
def test_transposed_file_gives_the_same_numbers(tmp_path, case_id):
    case = _case(case_id)
    wide, long = _files(tmp_path, case)
    level = ("--level", case["level"])
    base, a = coefficients("--matrix", wide, *level)
    turned, b = coefficients("--matrix", long, "--transpose", *level)
    assert turned["coders"] == base["coders"] and len(base["coders"]) == case["n_coders"]
    assert turned["units"] == base["units"] and turned["missing"] == base["missing"] and turned["transpose"] is True
    assert a.keys() == b.keys()
    for name in a:  # every coefficient, its p_a, p_e and bootstrap interval: identical
        assert (a[name]["value"], a[name].get("p_a"), a[name].get("p_e"), a[name].get("interval")) == \
               (b[name]["value"], b[name].get("p_a"), b[name].get("p_e"), b[name].get("interval")), name
    published = next(e for e in case["expected"] if e["coefficient"] in ("krippendorff_alpha", "fleiss_kappa"))
    name = "Krippendorff's alpha (nominal)" if published["coefficient"] == "krippendorff_alpha" else "Fleiss' kappa"
    assert b[name]["value"] == pytest.approx(published["value"], abs=published["tolerance"])


def test_without_transpose_the_same_file_is_read_as_coders_x_units(tmp_path):
    """The flag matters: read unturned, the units x coders file has 12 'coders' and 4 'units'."""
    _, long = _files(tmp_path, _case("kripp2011_c_nominal_missing"))
    data, _ = coefficients("--matrix", long, "--header", "--coder-column")
    assert data["units"] == 4 and len(data["coders"]) == 12


def test_units_and_coders_left_out_are_named_the_right_way_round(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("unit,ann,ben,cat,dan\nu1,a,a,b,\nu2,b,b,b,\nu3,,,,\nu4,a,b,a,\n")
    proc = run("--matrix", f, "--transpose", "--resamples", "0")
    assert proc.returncode == 0, proc.stderr
    assert "3 coders (ann, ben, cat) x 3 units" in proc.stdout
    assert "1 unit(s) coded by no one were left out (u3)" in proc.stdout
    assert "1 coder(s) with no value were left out: dan (column 5)" in proc.stdout
    assert "one row per unit, one column per coder" in proc.stdout


def test_errors_name_the_line_and_say_it_the_right_way_round(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("unit,ann,ben\nu1,1,2\nu2,1\n")
    proc = run("--matrix", ragged, "--transpose")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{ragged}:3:" in proc.stderr and "one row per unit and one column per coder" in proc.stderr

    twice = tmp_path / "twice.csv"
    twice.write_text("unit,ann,ben\nu1,1,2\nu1,1,1\n")
    proc = run("--matrix", twice, "--transpose")
    assert proc.returncode == 2 and "unit 'u1' has two rows" in proc.stderr and f"{twice}:3:" in proc.stderr

    one = tmp_path / "one.csv"
    one.write_text("unit,ann\nu1,1\nu2,2\n")
    proc = run("--matrix", one, "--transpose")
    assert proc.returncode == 2 and "1 coder(s) with values; agreement needs at least two" in proc.stderr

    names = tmp_path / "names.csv"  # a first row of words: coder names, or unit 1's values?
    names.write_text("ann,ben\nyes,no\nno,no\n")
    proc = run("--matrix", names, "--transpose")
    assert proc.returncode == 2 and "will not guess" in proc.stderr and "--header" in proc.stderr
    data, _ = coefficients("--matrix", names, "--transpose", "--header")
    assert data["coders"] == ["ann", "ben"] and data["units"] == 2


def test_transpose_is_documented_and_only_goes_with_matrix():
    helptext = subprocess.run([*QC, "agree", "--help"], capture_output=True, text=True).stdout
    assert "--transpose" in helptext and "one row per unit" in helptext
    proc = run("--transpose")
    assert proc.returncode == 2 and "--transpose goes with --matrix FILE" in proc.stderr
