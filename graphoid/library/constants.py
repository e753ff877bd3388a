"""`import "constants"` (bound as `const`, like the reference): mathematical and physical
constants (docs/stdlib.md#constants). SI units; physical values are CODATA 2018."""

from __future__ import annotations

import math
from typing import Any

CONSTANTS: dict[str, float] = {
    "pi": math.pi,
    "e": math.e,
    "tau": math.tau,
    "phi": (1 + math.sqrt(5)) / 2,
    "sqrt2": math.sqrt(2),
    "sqrt3": math.sqrt(3),
    "ln2": math.log(2),
    "ln10": math.log(10),
    "log2e": 1 / math.log(2),
    "log10e": 1 / math.log(10),
    "deg_to_rad": math.pi / 180,
    "rad_to_deg": 180 / math.pi,
    "inf": math.inf,
    "c": 299792458,  # speed of light, m/s
    "G": 6.67430e-11,  # gravitational constant, m^3 kg^-1 s^-2
    "h": 6.62607015e-34,  # Planck constant, J s
    "k_B": 1.380649e-23,  # Boltzmann constant, J/K
    "N_A": 6.02214076e23,  # Avogadro constant, 1/mol
    "e_charge": 1.602176634e-19,  # elementary charge, C
    "g": 9.80665,  # standard gravity, m/s^2
}


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "constants"`: plain numbers."""
    return dict(CONSTANTS)
