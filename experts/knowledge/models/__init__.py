from .cases import (
    CaseStudy,
    CaseStudyExpert,
    CountrySwot,
    Hurdle,
    HurdleCategory,
    Milestone,
    Outcome,
    RegulatoryRoute,
)
from .common import Audience
from .notifications import DigestNotice, EmailFrequency, NotificationPreference

__all__ = [
    "Audience",
    "CaseStudy",
    "CaseStudyExpert",
    "CountrySwot",
    "DigestNotice",
    "EmailFrequency",
    "Hurdle",
    "HurdleCategory",
    "Milestone",
    "NotificationPreference",
    "Outcome",
    "RegulatoryRoute",
]
