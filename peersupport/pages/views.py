"""The trust pages: who runs the site, community guidelines, terms, and a way to reach us.

The privacy notice is the accounts app's (/privacy/); these pages link to it.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .forms import ContactForm
from .models import SitePage
from .selectors import site_page_for
from .services import ContactRateLimited, contact_message_send


def _page(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, f"pages/{slug}.html", {"custom": site_page_for(slug)})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return _page(request, SitePage.Slug.ABOUT)


@require_GET
def guidelines(request: HttpRequest) -> HttpResponse:
    return _page(request, SitePage.Slug.GUIDELINES)


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return _page(request, SitePage.Slug.TERMS)


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    form = ContactForm(request.POST if request.method == "POST" else None, signed_in=signed_in)
    limited = ""
    if request.method == "POST" and form.is_valid():
        try:
            contact_message_send(
                sender=request.user if signed_in else None,
                reply_to=form.cleaned_data.get("reply_to", ""),
                topic=form.cleaned_data["topic"],
                message=form.cleaned_data["message"],
                client_address=request.META.get("REMOTE_ADDR", ""),
            )
        except ContactRateLimited as exc:
            limited = str(exc)
        else:
            messages.success(
                request,
                _("Thank you. Your message is with the administrators, and a person will read it."),
            )
            return redirect("pages:contact")
    status = 200
    if limited:
        status = 429
    elif form.is_bound:
        status = 400
    return render(request, "pages/contact.html", {"form": form, "limited": limited}, status=status)
