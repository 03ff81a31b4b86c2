"""Every coefficient that applies to a reliability matrix, with p_a and p_e, alpha's interval and the
verdict: what `qualcode agree --matrix` prints (the file is read by :mod:`matrix_file`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from qualcode.reliability.alpha import alpha_details
from qualcode.reliability.matrix import ReliabilityDataError, ReliabilityMatrix, UndefinedCoefficient


@dataclass
class Coefficient:
    """One coefficient's value (with p_a and p_e where defined), or why it is undefined."""

    name: str
    value: float | None
    note: str = ""
    interval: tuple[float, float] | None = None
    p_a: float | None = None
    p_e: float | None = None
    verdict: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out: dict = {"name": self.name, "value": self.value}
        if self.p_a is not None:
            out["p_a"], out["p_e"] = self.p_a, self.p_e
        if self.interval is not None:
            out["ci"] = list(self.interval)
        if self.verdict:
            out["verdict"] = self.verdict
        if self.note:
            out["note"] = self.note
        out.update(self.extra)
        return out


def matrix_coefficients(
    m: ReliabilityMatrix,
    level: str = "nominal",
    *,
    weights: Any = None,
    scores: Sequence[float] | None = None,
    n_resamples: int = 10_000,
    seed: int | None = 2007,
    confidence: float = 0.95,
    path: str | None = None,
) -> list[Coefficient]:
    """Every coefficient that applies: Krippendorff's alpha at ``level`` first (bootstrap interval,
    q(alpha < .667/.800) and the verdict), then percent agreement, the kappa family and Gwet's,
    unweighted (nominal and ordinal) and with ``weights`` ("linear", "quadratic" or a q x q matrix;
    None: none at nominal, linear at ordinal, quadratic at interval/ratio). Raises
    UndefinedCoefficient when alpha itself is undefined; other undefined coefficients come back
    with value None and the reason."""
    from qualcode.reliability import coefficients as co
    from qualcode.reliability import pairwise as pw
    from qualcode.reliability.bootstrap import alpha_bootstrap
    from qualcode.reliability.verdict import verdict

    try:
        res = alpha_details(m, level, category_scores=scores)
    except UndefinedCoefficient as exc:
        try:
            hint = f"percent agreement is {co.percent_agreement(m):.3f}; alpha needs values that vary"
        except UndefinedCoefficient:
            hint = "have at least two coders code the same units"
        raise UndefinedCoefficient(exc.message, path=path, hint=hint) from None
    alpha = Coefficient(f"Krippendorff's alpha ({level})", res.alpha,
                        extra={"D_o": res.D_o, "D_e": res.D_e, "pairable_values": res.n_pairable_values,
                               "pairable_units": res.n_pairable_units})
    alpha.note = f"D_o = {res.D_o:.4f}, D_e = {res.D_e:.4f}"
    marg = res.marginals
    used = marg[marg > 0]
    p_c = float(used.min() / used.sum()) if len(used) > 1 else None
    low = None
    if n_resamples:
        b = alpha_bootstrap(m, level, category_scores=scores, n_resamples=n_resamples, seed=seed,
                            confidence=confidence)
        alpha.interval = (b.low, b.high)
        low = b.low
        alpha.extra["p_below"] = {f"{k:.3f}": v for k, v in b.p_below.items()}
        alpha.extra["bootstrap"] = "pairs of values (Hayes & Krippendorff 2007)"
        alpha.note += f", q(alpha < .800) = {b.p_below[0.8]:.3f}"
    alpha.verdict = verdict(res.alpha, low=low, n_units=res.n_pairable_units, p_c=p_c, n_coders=m.n_coders)
    out = [alpha]
    two = m.n_coders == 2
    if weights is None:
        weights = {"nominal": None, "ordinal": "linear"}.get(level, "quadratic")
    wlabel = "custom" if not isinstance(weights, str) and weights is not None else weights

    def add(name: str, func: Callable[[], Any]) -> None:
        try:
            r = func()
        except (UndefinedCoefficient, ReliabilityDataError) as exc:
            out.append(Coefficient(name, None, exc.message))
            return
        if hasattr(r, "p_e"):
            out.append(Coefficient(name, float(r.value), p_a=float(r.p_a), p_e=float(r.p_e)))
        else:
            out.append(Coefficient(name, float(r)))

    if level == "ratio":
        add("Krippendorff's alpha (interval)", lambda: alpha_details(m, "interval", category_scores=scores).alpha)
    if wlabel == "custom":  # the same table as distances (1 - weight), as DKPro and krippendorff take it
        import numpy as np

        add("Krippendorff's alpha (custom distances, 1 - weights)",
            lambda: alpha_details(m, level, distance_matrix=1.0 - np.asarray(weights, dtype=float)).alpha)
    add("percent agreement (exact match, units equal)", lambda: co.percent_agreement(m))
    if level in ("nominal", "ordinal"):
        add("pairable percent agreement", lambda: res.pairable_percent_agreement if level == "nominal"
            else alpha_details(m, "nominal").pairable_percent_agreement)
    kinds = ([None] if level in ("nominal", "ordinal") else []) + ([weights] if weights is not None else [])
    for w in kinds:
        tag = "" if w is None else f" ({wlabel} weights)"
        kw = {} if w is None else {"weights": w, "category_scores": scores}
        if two:
            add(f"Cohen's kappa{tag}", lambda kw=kw: pw.cohen_kappa_details(m, **kw))
            add(f"Scott's pi{tag}", lambda kw=kw: pw.scott_pi_details(m, **kw))
        add(f"Fleiss' kappa{tag}", lambda kw=kw: co.fleiss_kappa_details(m, **kw))
        add(f"Conger's kappa{tag}", lambda kw=kw: co.conger_kappa_details(m, **kw))
        if w is None:
            add("Hubert's kappa", lambda: _hubert(m))
            if not two:
                add("Light's kappa (mean pairwise Cohen's)", lambda: pw.mean_pairwise_cohen_kappa(m))
            add("Gwet's AC1", lambda: co.gwet_ac2_details(m))
            add("Brennan-Prediger (Bennett's S, free-marginal kappa)", lambda: co.brennan_prediger_details(m))
        else:
            add(f"Gwet's AC2{tag}", lambda kw=kw: co.gwet_ac2_details(m, **kw))
            add(f"Brennan-Prediger{tag}", lambda kw=kw: co.brennan_prediger_details(m, **kw))
    return out


def _hubert(m: ReliabilityMatrix):
    from qualcode.reliability.coefficients import conger_kappa_details, hubert_kappa

    hubert_kappa(m)  # raises on missing values
    return conger_kappa_details(m)  # the same quantity on complete data, with p_a and p_e
