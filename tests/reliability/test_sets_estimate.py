"""Alpha over code sets: exact up to EXACT_LIMIT distinct sets, a stated estimate beyond."""

import numpy as np

from qualcode.reliability.sets import sets_alpha_details


def test_estimate_is_close_to_exact_and_says_how_it_was_made():
    rng = np.random.default_rng(7)
    present = (rng.random((12, 2, 3000)) < 0.15).astype(np.uint8)
    present[:, 1] = np.where(rng.random((12, 3000)) < 0.8, present[:, 0], present[:, 1])  # some agreement
    codes = [f"c{i}" for i in range(12)]
    exact, note = sets_alpha_details(present, codes)
    assert note is None
    estimate, note = sets_alpha_details(present, codes, exact_limit=0, samples=400_000)
    assert "estimated from 400,000 random pairs" in note
    assert abs(estimate - exact) < 0.01
    assert 0.3 < exact < 0.95
