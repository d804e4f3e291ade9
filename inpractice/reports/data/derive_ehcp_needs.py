"""Derive `ehcp_primary_need_2025.csv` from DfE's EHC plan statistics (how it was made).

Source: DfE, "Education, health and care plans", reporting year 2025 (time period 202425), file
`ehcp2025_sen_needs_all_plans.csv` (EHC plans by primary type of need), published under the Open
Government Licence v3.0. Run from the project root:

    python inpractice/reports/data/derive_ehcp_needs.py \\
        ../shared/data/send_stats/ehcp2025_sen_needs_all_plans.csv \\
        > inpractice/reports/data/ehcp_primary_need_2025.csv

It keeps two national rows, all EHC plans and those of children placed in mainstream schools
(the "Type of placement: Mainstream - total" breakdown), one line per DfE primary need code with
the number of plans. Plans whose primary need is unknown are left out, so the shares the report
computes are shares of plans with a recorded primary need.
"""

from __future__ import annotations

import csv
import sys

NEEDS = ("ASD", "HI", "MLD", "MSI", "OTH", "PD", "PMLD", "SEMH", "SLCN", "SLD", "SPLD", "VI")
POPULATIONS = {
    ("All EHC plans", "All EHC plans"): "all_ehc_plans",
    ("Type of placement", "Mainstream - total"): "mainstream",
}


def derive(source: str, out=sys.stdout) -> None:
    with open(source, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["time_period", "population", "need_code", "plans"])
    found = set()
    for row in rows:
        key = (row["breakdown_topic"], row["breakdown"])
        if row["geographic_level"] != "National" or key not in POPULATIONS:
            continue
        found.add(key)
        for code in NEEDS:
            writer.writerow(
                [row["time_period"], POPULATIONS[key], code, int(row[f"number_{code.lower()}"])]
            )
    missing = set(POPULATIONS) - found
    if missing:
        raise SystemExit(f"the source has no national row for {sorted(missing)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: derive_ehcp_needs.py PATH/TO/ehcp2025_sen_needs_all_plans.csv")
    derive(sys.argv[1])
