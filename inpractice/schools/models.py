"""The school register: local authorities, trusts and schools keyed by URN, as in GIAS."""

from __future__ import annotations

from django.db import models


class Region(models.TextChoices):
    NORTH_EAST = "E12000001", "North East"
    NORTH_WEST = "E12000002", "North West"
    YORKSHIRE = "E12000003", "Yorkshire and The Humber"
    EAST_MIDLANDS = "E12000004", "East Midlands"
    WEST_MIDLANDS = "E12000005", "West Midlands"
    EAST = "E12000006", "East of England"
    LONDON = "E12000007", "London"
    SOUTH_EAST = "E12000008", "South East"
    SOUTH_WEST = "E12000009", "South West"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class LocalAuthority(models.Model):
    code = models.CharField("LA code", max_length=3, unique=True)
    name = models.CharField(max_length=120)
    ons_code = models.CharField(max_length=9, blank=True)
    region = models.CharField(max_length=9, choices=Region.choices, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Trust(models.Model):
    """A multi-academy trust or other group, keyed by its GIAS group UID ("Trusts (code)")."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=200, db_index=True)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools"
    )
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools"
    )
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    establishment_type = models.CharField(max_length=120, blank=True)
    establishment_group = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=60, blank=True, default="Open")
    region = models.CharField(max_length=9, choices=Region.choices, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    open_date = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(
        default=False, help_text="Made up for the demo; not a real establishment."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (URN {self.urn})"

    @property
    def is_open(self) -> bool:
        return self.status.lower().startswith("open")
