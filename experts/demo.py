"""Expert demo content: fictional directory profiles, and two knowledge articles by the demo expert.

The demo accounts (one per role) come from platform_site.demo.
"""

from django.contrib.auth import get_user_model

from . import demo_profiles
from .models import KnowledgeArticle, KnowledgeTopic

DEMO_ARTICLES = [
    {
        "title": "Preparing a scientific advice request for an academic CAR-T",
        "summary": "What a hospital team should have ready before asking EMA or a national agency for advice.",
        "topic": KnowledgeTopic.REGULATORY,
        "body": (
            "## Before you ask\n\n"
            "- A draft target product profile and the intended first-in-human dose rationale.\n"
            "- Your comparability plan if the manufacturing process will change before phase 2.\n"
            "- Which questions are quality, which non-clinical, which clinical.\n\n"
            "This is fictional demo content."
        ),
    },
    {
        "title": "Release testing under time pressure: fresh autologous products",
        "summary": "Demo notes on sterility testing when the product must be infused within hours.",
        "topic": KnowledgeTopic.QUALITY,
        "audience": KnowledgeArticle.Audience.EXPERTS,
        "body": (
            "Rapid microbiological methods need validation against the compendial one.\n\n"
            "This is fictional demo content."
        ),
    },
]


def load(*, stdout=None) -> None:
    demo_profiles.load(stdout=stdout)
    author = get_user_model().objects.get(email="expert@demo.atmp-platform.invalid")
    for fields in DEMO_ARTICLES:
        article, created = KnowledgeArticle.objects.get_or_create(
            title=fields["title"], defaults={**fields, "author": author, "is_demo": True}
        )
        if created:
            article.publish()
            article.save()
