from django import template

from experts.links import CatalogueLink

register = template.Library()


@register.simple_tag
def product_expert_links(product):
    """Confirmed roles of public profiles on this product (one query)."""
    return list(CatalogueLink.objects.for_product_page(product))
