"""Reference data every register needs: England's local authorities with their regions."""

from __future__ import annotations

import csv
from importlib import resources

from .models import Region

REGION_BY_NAME = {label.lower(): code for code, label in Region.choices}


def local_authority_rows() -> list[dict[str, str]]:
    """The vendored list of 156 local authorities (see schools/data/README.md)."""
    text = (
        resources.files("inpractice.schools")
        .joinpath("data/local_authorities.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(text.splitlines()))
