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
from .library import Resource, ResourceKind, YesNo
from .notifications import DigestNotice, EmailFrequency, NotificationPreference
from .questions import (
    Answer,
    AnswerComment,
    HelpfulMark,
    Question,
    QuestionFollow,
    QuestionRouting,
    TopicFollow,
)

__all__ = [
    "Answer",
    "AnswerComment",
    "HelpfulMark",
    "Question",
    "QuestionFollow",
    "QuestionRouting",
    "TopicFollow",
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
    "Resource",
    "ResourceKind",
    "YesNo",
]
