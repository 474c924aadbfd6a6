"""Randomization engine: stratified permuted blocks, Pocock-Simon minimization, commitments.

Pure, Qt-free and database-free. The public API is re-exported here:

* :mod:`.blocks` - allocation lists (generation, stock, appending a list);
* :mod:`.commitment` - canonical serialization and SHA-256 commitment;
* :mod:`.minimization` - Pocock-Simon minimization with its explanation;
* :mod:`.verify` - verification of lists, commitments and assignments;
* :mod:`.factors` - protocol factor groups (ISS I-II/III, age <65/>=65) and stratum labels.
"""

from ctrial_desktop.domain.randomization.blocks import (
    ALGORITHM,
    AllocationError,
    AllocationList,
    AllocationPosition,
    StratumStock,
    append_list,
    generate_allocation_list,
    generate_site_lists,
    list_length_for,
    new_seed,
    next_allocation,
    regenerate,
    stratum_stock,
)
from ctrial_desktop.domain.randomization.commitment import (
    canonical_bytes,
    canonical_text,
    commitment,
    parse_canonical_text,
)
from ctrial_desktop.domain.randomization.factors import (
    age_group,
    iss_group,
    site_iss_stratum,
    stratum_label,
)
from ctrial_desktop.domain.randomization.minimization import (
    Measure,
    MinimizationResult,
    add_to_counts,
    count_assignments,
    empty_counts,
    minimize,
)
from ctrial_desktop.domain.randomization.verify import (
    Assignment,
    Mismatch,
    MismatchKind,
    VerificationReport,
    verify_allocations,
)

__all__ = [
    "ALGORITHM",
    "AllocationError",
    "AllocationList",
    "AllocationPosition",
    "Assignment",
    "Measure",
    "MinimizationResult",
    "Mismatch",
    "MismatchKind",
    "StratumStock",
    "VerificationReport",
    "add_to_counts",
    "age_group",
    "append_list",
    "canonical_bytes",
    "canonical_text",
    "commitment",
    "count_assignments",
    "empty_counts",
    "generate_allocation_list",
    "generate_site_lists",
    "iss_group",
    "list_length_for",
    "minimize",
    "new_seed",
    "next_allocation",
    "parse_canonical_text",
    "regenerate",
    "site_iss_stratum",
    "stratum_label",
    "stratum_stock",
    "verify_allocations",
]
