"""Every expected value in the shared reference cases, computed by qualcode.reliability.

The cases live outside the repository, in ``../shared/reliability/reference_cases.json``
relative to the repository root (or in ``$QUALCODE_SHARED``, which may point at the shared
folder or at its ``reliability`` subfolder).  They are never copied into the repository.
Each expected value is one test; a coefficient name that qualcode does not implement
fails (it is never skipped).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from qualcode.reliability import NAMES, compute

FILENAME = "reference_cases.json"


def shared_reliability_dir() -> Path:
    env = os.environ.get("QUALCODE_SHARED")
    if env:
        base = Path(env)
        return base if (base / FILENAME).exists() else base / "reliability"
    return Path(__file__).resolve().parents[2].parent / "shared" / "reliability"


SHARED = shared_reliability_dir()
CASES_FILE = SHARED / FILENAME
MISSING_REASON = (
    f"shared reference cases not found at {CASES_FILE} "
    "(expected ../shared/reliability/ next to the repository, or set QUALCODE_SHARED)"
)


def _load() -> list[dict]:
    if not CASES_FILE.exists():
        return []
    return json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]


CASES = _load()


def _expected_params():
    if not CASES:
        return [pytest.param(None, None, id="shared-reference-cases-missing")]
    out = []
    for case in CASES:
        for i, exp in enumerate(case["expected"]):
            out.append(pytest.param(case, exp, id=f"{case['id']}[{i}]-{exp['coefficient']}"))
    return out


def _skip_if_missing(case):
    if case is None:
        print(MISSING_REASON)
        pytest.skip(MISSING_REASON)


def _compute(case: dict, coefficient: str, params: dict) -> float:
    kwargs = {k: params[k] for k in ("weights", "distance_matrix", "q") if k in params}
    return compute(
        coefficient,
        case["data"],
        categories=case["categories"],
        level=case["level"],
        category_scores=case.get("category_scores"),
        **kwargs,
    )


@pytest.mark.parametrize(("case", "expected"), _expected_params())
def test_expected_value(case, expected):
    _skip_if_missing(case)
    params = expected.get("params") or {}
    got = _compute(case, expected["coefficient"], params)
    assert abs(got - expected["value"]) <= expected["tolerance"], (
        f"{case['id']}: {expected['coefficient']} = {got!r}, expected {expected['value']} "
        f"± {expected['tolerance']} ({expected['reference']})"
    )


@pytest.mark.parametrize(("case", "expected"), _expected_params())
def test_full_precision_verification(case, expected):
    """Stricter than the published rounding: the third-party full-precision value to 1e-9."""
    _skip_if_missing(case)
    full = (expected.get("verification") or {}).get("full_precision")
    if full is None:
        pytest.fail(f"{case['id']}: expected value without verification.full_precision")
    got = _compute(case, expected["coefficient"], expected.get("params") or {})
    assert abs(got - full) <= 1e-9, f"{case['id']}: {expected['coefficient']} = {got!r}, full precision {full}"


def _pe_params():
    if not CASES:
        return [pytest.param(None, None, id="shared-reference-cases-missing")]
    out = []
    for case in CASES:
        for i, exp in enumerate(case["expected"]):
            if "pe" in (exp.get("params") or {}):
                out.append(pytest.param(case, exp, id=f"{case['id']}[{i}]-{exp['coefficient']}_pe"))
    return out


@pytest.mark.parametrize(("case", "expected"), _pe_params())
def test_chance_agreement_reported_alongside(case, expected):
    """``params.pe`` (printed to 7 decimals by R irrCAC / DKPro) is our p_e."""
    _skip_if_missing(case)
    params = expected["params"]
    got = _compute(case, expected["coefficient"] + "_pe", params)
    decimals = len(repr(params["pe"]).split(".")[-1])
    assert abs(got - params["pe"]) <= 0.5 * 10.0**-decimals + 1e-12


def test_every_coefficient_name_is_known():
    if not CASES:
        print(MISSING_REASON)
        pytest.skip(MISSING_REASON)
    used = {exp["coefficient"] for case in CASES for exp in case["expected"]}
    unknown = used - set(NAMES)
    assert not unknown, f"reference cases use coefficients qualcode does not implement: {sorted(unknown)}"


def test_case_data_shape_matches_metadata():
    if not CASES:
        print(MISSING_REASON)
        pytest.skip(MISSING_REASON)
    for case in CASES:
        assert len(case["data"]) == case["n_coders"], case["id"]
        assert all(len(row) == case["n_units"] for row in case["data"]), case["id"]
        assert case["expected"], f"{case['id']} has no expected values"
