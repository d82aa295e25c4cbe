"""Knowledge sharing: experts write articles; visitors read the public ones."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import ListView

from platform_site.permissions import can_edit, expert_required

from .forms import KnowledgeArticleForm
from .markdown import render_markdown
from .models import KnowledgeArticle, KnowledgeTopic


class ArticleListView(ListView):
    template_name = "experts/knowledge.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        articles = KnowledgeArticle.objects.visible_to(self.request.user).select_related("author__profile")
        topic = self.request.GET.get("topic", "")
        if topic in KnowledgeTopic.values:
            articles = articles.filter(topic=topic)
        query = self.request.GET.get("q", "").strip()[:200]
        if query:
            articles = articles.filter(
                Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query)
            )
        return articles

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topics=KnowledgeTopic.choices,
            topic=self.request.GET.get("topic", ""),
            q=self.request.GET.get("q", ""),
            **kwargs,
        )


def article_detail(request, pk: int):
    article = get_object_or_404(KnowledgeArticle.objects.visible_to(request.user).select_related("author"), pk=pk)
    return render(
        request,
        "experts/article.html",
        {"article": article, "body_html": render_markdown(article.body), "can_edit": can_edit(request.user, article)},
    )


@expert_required
def article_create(request):
    form = KnowledgeArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.author = request.user
        article = form.save()
        messages.success(request, "Article published." if article.published_at else "Draft saved.")
        return redirect(article)
    return render(request, "experts/article_form.html", {"form": form})


@expert_required
def article_edit(request, pk: int):
    article = get_object_or_404(KnowledgeArticle, pk=pk)
    if not can_edit(request.user, article):
        raise PermissionDenied
    form = KnowledgeArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Article saved.")
        return redirect(article)
    return render(request, "experts/article_form.html", {"form": form, "article": article})
