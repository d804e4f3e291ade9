"""Fixed answer options for the submission form, shared by forms, importers and the demo."""

from __future__ import annotations

from django.db import models


class OrganisationType(models.TextChoices):
    SCHOOL = "school", "School"
    TRUST = "trust", "Multi-academy trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SEND_PROVIDER = "send_provider", "SEND support provider"
    OTHER = "other", "Other"


# How representation is counted: trusts speak "through trusts"; local authorities and SEND support
# providers speak "through local authorities and providers"; schools and others directly.
ROUTE_TRUSTS = {OrganisationType.TRUST}
ROUTE_LAS_AND_PROVIDERS = {OrganisationType.LOCAL_AUTHORITY, OrganisationType.SEND_PROVIDER}


class NeedCode(models.TextChoices):
    """DfE primary need codes used in the school census and EHC plan statistics."""

    SPLD = "SPLD", "Specific learning difficulty (SpLD)"
    MLD = "MLD", "Moderate learning difficulty (MLD)"
    SLD = "SLD", "Severe learning difficulty (SLD)"
    PMLD = "PMLD", "Profound and multiple learning difficulty (PMLD)"
    SEMH = "SEMH", "Social, emotional and mental health (SEMH)"
    SLCN = "SLCN", "Speech, language and communication needs (SLCN)"
    HI = "HI", "Hearing impairment (HI)"
    VI = "VI", "Vision impairment (VI)"
    MSI = "MSI", "Multi-sensory impairment (MSI)"
    PD = "PD", "Physical disability (PD)"
    ASD = "ASD", "Autistic spectrum disorder (ASD)"
    OTH = "OTH", "Other difficulty or disability (OTH)"


# SEND Code of Practice broad areas of need, and the DfE codes that fall in each.
NEED_AREAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "communication": ("Communication and interaction", ("SLCN", "ASD")),
    "cognition": ("Cognition and learning", ("SPLD", "MLD", "SLD", "PMLD")),
    "semh": ("Social, emotional and mental health", ("SEMH",)),
    "sensory_physical": ("Sensory and/or physical", ("HI", "VI", "MSI", "PD")),
}


def need_areas_for(codes: list[str]) -> list[str]:
    return [area for area, (_label, members) in NEED_AREAS.items() if set(codes) & set(members)]


class PracticeType(models.TextChoices):
    RESOURCED_PROVISION = "resourced_provision", "Resourced provision"
    SEN_UNIT = "sen_unit", "SEN unit"
    SPECIALIST_ASSISTANTS = (
        "specialist_assistants",
        "Specialist learning assistants supporting access to mainstream lessons",
    )
    SPORT_AND_PE = "sport_and_pe", "Specialist equipment and support for sport and PE"
    SPECIALIST_EXPERTISE = (
        "specialist_expertise",
        "Specialist expertise brought into mainstream practice",
    )
    OTHER = "other", "Other"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery or early years"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SIXTEEN_PLUS = "16_plus", "16 plus"


class Coverage(models.TextChoices):
    ONE_SCHOOL = "one_school", "One school"
    URN_LIST = "urn_list", "A list of schools"
    TRUST = "trust", "All schools in a multi-academy trust"
    LOCAL_AUTHORITY = "local_authority", "All schools in a local authority area"


class PublicationConsent(models.TextChoices):
    NAMED = "named", "Yes, publish it with our name"
    ANONYMISED = "anonymised", "Yes, publish it without our name or our schools' names"
    NO = "no", "No, do not publish it"


# The free-text questions a new call asks unless its organisers change them. Each call stores
# its own copy, so editing a call never rewrites what earlier respondents were asked.
DEFAULT_QUESTIONS: list[dict] = [
    {
        "key": "practice",
        "label": "Describe the practice in your own words",
        "hint": "What do you do, who is it for, and how does it work day to day?",
        "max_length": 6000,
        "required": True,
    },
    {
        "key": "impact",
        "label": "What difference has it made, and how do you know?",
        "hint": (
            "For example attendance, progress, wellbeing, pupil or family views, and the "
            "evidence you collect."
        ),
        "max_length": 4000,
        "required": True,
    },
    {
        "key": "enablers",
        "label": "What made it possible?",
        "hint": "For example leadership, funding, training, partnerships or time.",
        "max_length": 3000,
        "required": True,
    },
    {
        "key": "advice",
        "label": "What advice would you give to another school?",
        "hint": "",
        "max_length": 3000,
        "required": False,
    },
]
