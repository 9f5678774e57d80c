"""Reads for the trust pages."""

from .models import SitePage


def site_page_for(slug: str) -> SitePage | None:
    """The administrators' own text for a page, or None for the built-in one."""
    return SitePage.objects.filter(slug=slug).first()
