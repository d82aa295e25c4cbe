from django import template

from experts.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Expert-written Markdown, sanitised (experts/markdown.py)."""
    return render_markdown(text)


@register.filter
def report_key(obj) -> str:
    """The key the "report this" URL uses for this item ("" when it cannot be reported)."""
    from experts.knowledge.services.moderation import reportable_key

    return reportable_key(obj)
