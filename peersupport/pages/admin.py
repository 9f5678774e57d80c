from django.contrib import admin
from django.http import HttpRequest

from .models import ContactMessage, SitePage
from .services import site_page_save


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ("slug", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request: HttpRequest, obj: SitePage, form: object, change: bool) -> None:
        # Through the service, so the Markdown is rendered and sanitised once, on save.
        site_page_save(by=request.user, page=obj)


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "topic", "sender", "reply_to", "handled_at")
    list_filter = ("topic", ("handled_at", admin.EmptyFieldListFilter))
    readonly_fields = ("created_at", "sender", "reply_to", "topic", "message")
    fields = ("created_at", "topic", "sender", "reply_to", "message", "handled_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from the contact form only
