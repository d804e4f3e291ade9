"""The vendored EHC plan figures and the script that derives them from DfE's file."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from inpractice.reports import national
from inpractice.reports.data import derive_ehcp_needs

SCRIPT = Path(derive_ehcp_needs.__file__)
NEEDS = derive_ehcp_needs.NEEDS


def dfe_row(level: str, topic: str, breakdown: str, base: int) -> dict:
    row = {
        "time_period": "202425",
        "geographic_level": level,
        "breakdown_topic": topic,
        "breakdown": breakdown,
    }
    row.update({f"number_{code.lower()}": str(base + i) for i, code in enumerate(NEEDS)})
    return row


def test_the_script_keeps_the_two_national_rows(tmp_path):
    rows = [
        dfe_row("National", "All EHC plans", "All EHC plans", 1000),
        dfe_row("National", "Type of placement", "Mainstream - total", 100),
        dfe_row("National", "Sex", "Female", 5),
        dfe_row("Regional", "All EHC plans", "All EHC plans", 7),
    ]
    source = tmp_path / "dfe.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(source)], capture_output=True, text=True, check=True
    )
    out = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(out) == 2 * len(NEEDS)
    assert {r["population"] for r in out} == {"all_ehc_plans", "mainstream"}
    asd = {r["population"]: int(r["plans"]) for r in out if r["need_code"] == "ASD"}
    assert asd == {"all_ehc_plans": 1000, "mainstream": 100}  # ASD is the first code


def test_a_source_without_the_national_rows_is_refused(tmp_path):
    source = tmp_path / "dfe.csv"
    row = dfe_row("Regional", "All EHC plans", "All EHC plans", 7)
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(source)], capture_output=True, text=True
    )
    assert result.returncode != 0 and "no national row" in result.stderr


def test_the_vendored_figures_cover_every_need_with_positive_counts():
    for population in ("all_ehc_plans", "mainstream"):
        counts = national.ehcp_primary_needs(population)
        assert set(counts) == set(NEEDS)
        assert all(n > 0 for n in counts.values())
    # mainstream placements are a subset of all plans
    everyone, mainstream = (national.ehcp_primary_needs(p) for p in ("all_ehc_plans", "mainstream"))
    assert all(mainstream[c] < everyone[c] for c in NEEDS)
