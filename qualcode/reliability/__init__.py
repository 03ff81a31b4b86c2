"""Inter-coder reliability coefficients (pure numpy).

Data convention: ``data`` is coders x units (a sequence of rows, or a 2-D array), with
``None`` / NaN where a coder did not code a unit; ``categories`` is the codebook's list of
categories (default: the observed values).  See ``docs/reliability.md``.
"""

from qualcode.reliability.alpha import (
    RELIABLE,
    TENTATIVE,
    AlphaResult,
    alpha_details,
    coincidence_matrix,
    krippendorff_alpha,
    pairable_percent_agreement,
)
from qualcode.reliability.bootstrap import AlphaBootstrap, alpha_bootstrap
from qualcode.reliability.coefficients import (
    AgreementResult,
    bennett_s,
    brennan_prediger,
    brennan_prediger_details,
    conger_kappa,
    conger_kappa_details,
    fleiss_kappa,
    fleiss_kappa_details,
    free_marginal_kappa,
    gwet_ac1,
    gwet_ac1_details,
    gwet_ac2,
    gwet_ac2_details,
    hubert_kappa,
    percent_agreement,
)
from qualcode.reliability.matrix import (
    MISSING,
    ReliabilityDataError,
    ReliabilityMatrix,
    UndefinedCoefficient,
    as_matrix,
)
from qualcode.reliability.pairwise import (
    cohen_kappa,
    cohen_kappa_details,
    mean_pairwise_cohen_kappa,
    scott_pi,
    scott_pi_details,
)
from qualcode.reliability.registry import NAMES, compute
from qualcode.reliability.unitizing import UnitizingCategory, UnitizingResult, unitizing_alpha

__all__ = [
    "MISSING",
    "NAMES",
    "RELIABLE",
    "TENTATIVE",
    "AgreementResult",
    "AlphaBootstrap",
    "AlphaResult",
    "ReliabilityDataError",
    "ReliabilityMatrix",
    "UndefinedCoefficient",
    "UnitizingCategory",
    "UnitizingResult",
    "alpha_bootstrap",
    "alpha_details",
    "as_matrix",
    "bennett_s",
    "brennan_prediger",
    "brennan_prediger_details",
    "cohen_kappa",
    "cohen_kappa_details",
    "coincidence_matrix",
    "compute",
    "conger_kappa",
    "conger_kappa_details",
    "fleiss_kappa",
    "fleiss_kappa_details",
    "free_marginal_kappa",
    "gwet_ac1",
    "gwet_ac1_details",
    "gwet_ac2",
    "gwet_ac2_details",
    "hubert_kappa",
    "krippendorff_alpha",
    "mean_pairwise_cohen_kappa",
    "pairable_percent_agreement",
    "percent_agreement",
    "scott_pi",
    "scott_pi_details",
    "unitizing_alpha",
]
