import pytest
from django.contrib.auth.models import AnonymousUser

from experts.markdown import render_markdown
from experts.models import KnowledgeArticle, KnowledgeTopic
from tests.matrix import LOGIN, check_row, public, row


def _article(author, **fields) -> KnowledgeArticle:
    defaults = {"title": "Scaling lentiviral vector production", "body": "## Lessons\n\n- use a closed system",
                "topic": KnowledgeTopic.CMC_GMP}  # fmt: skip
    article = KnowledgeArticle(author=author, **{**defaults, **fields})
    if fields.get("status", "published") == "published":
        article.publish()
    article.save()
    return article


def test_markdown_keeps_formatting_and_drops_scripts_and_handlers():
    html = render_markdown(
        "## Title\n\n[ok](https://ema.europa.eu) <script>alert(1)</script> "
        '<a href="javascript:x">x</a>\n\n<img src=x onerror=alert(1)>'
    )
    assert "<h2>Title</h2>" in html
    assert 'href="https://ema.europa.eu"' in html and "nofollow" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html


@pytest.mark.django_db
def test_visibility_of_articles_by_role(cast, client_for):
    public_article = _article(cast["owner"], title="Public guidance")
    experts_only = _article(cast["owner"], title="Experts-only notes", audience="experts")
    draft = _article(cast["owner"], title="Half-written draft", status="draft")

    def titles(role):
        return {a.title for a in KnowledgeArticle.objects.visible_to(cast[role] or AnonymousUser())}

    assert titles("anonymous") == titles("pending") == {"Public guidance"}
    assert titles("expert") == {"Public guidance", "Experts-only notes"}
    assert titles("owner") == {"Public guidance", "Experts-only notes", "Half-written draft"}
    assert titles("curator") == {"Public guidance", "Experts-only notes", "Half-written draft"}
    for matrix_row in [
        public(public_article.get_absolute_url()),
        row(experts_only.get_absolute_url(), 404, 404, 200, 200, 200, 200),
        row(draft.get_absolute_url(), 404, 404, 404, 200, 200, 200),
        row(f"/experts/knowledge/{public_article.pk}/edit/", LOGIN, 403, 403, 200, 200, 200),
        row("/experts/knowledge/new/", LOGIN, 403, 200, 200, 200, 200),
        public("/experts/knowledge/?topic=nonsense&q=%ff%fe"),
        row("/admin/experts/knowledgearticle/", 302, 302, 302, 302, 200, 200),
    ]:
        check_row(client_for, matrix_row)


@pytest.mark.django_db
def test_an_expert_shares_a_draft_then_publishes_it(client_for, expert):
    client = client_for("expert")
    form = {"title": "QP release of CAR-T", "summary": "", "topic": "quality", "audience": "public",
            "body": "Release **before** shipment."}  # fmt: skip
    response = client.post("/experts/knowledge/new/", form, follow=True)
    article = KnowledgeArticle.objects.get(title="QP release of CAR-T")
    assert article.author == expert and article.status == "draft"
    assert "Draft saved." in response.content.decode()
    assert client_for("anonymous").get(article.get_absolute_url()).status_code == 404

    client.post(f"/experts/knowledge/{article.pk}/edit/", {**form, "publish": "on"})
    article.refresh_from_db()
    assert article.status == "published" and article.published_at
    page = client_for("anonymous").get(article.get_absolute_url()).content.decode()
    assert "<strong>before</strong>" in page
    assert expert.email not in page
    assert article.history.count() == 2


@pytest.mark.django_db
def test_article_form_reports_missing_fields(client_for):
    response = client_for("expert").post("/experts/knowledge/new/", {"title": "", "topic": "nope", "body": ""})
    assert response.status_code == 200
    assert not KnowledgeArticle.objects.exists()
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_empty_list_says_what_to_do(client):
    assert "No articles yet" in client.get("/experts/knowledge/").content.decode()
