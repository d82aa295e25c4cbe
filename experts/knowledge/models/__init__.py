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
from .events import Event, EventKind, NewsPost
from .library import Resource, ResourceKind, YesNo
from .moderation import ModerationAction, Report, ReportReason
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
from .search import SearchDocument

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
    "Event",
    "EventKind",
    "Hurdle",
    "HurdleCategory",
    "Milestone",
    "ModerationAction",
    "NewsPost",
    "NotificationPreference",
    "Outcome",
    "RegulatoryRoute",
    "Report",
    "ReportReason",
    "Resource",
    "SearchDocument",
    "ResourceKind",
    "YesNo",
]
