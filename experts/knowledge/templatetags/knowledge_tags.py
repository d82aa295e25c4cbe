from django import template

from experts.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Expert-written Markdown, sanitised (experts/markdown.py)."""
    return render_markdown(text)
