from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ContactMessage, SitePage
from .services import contact_message_set_handled, site_page_save


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ("slug", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request: HttpRequest, obj: SitePage, form: object, change: bool) -> None:
        # Through the service, so the Markdown is rendered and sanitised once, on save.
        site_page_save(by=request.user, page=obj)


class ContactMessageForm(forms.ModelForm):
    handled = forms.BooleanField(label=_("Answered"), required=False)

    class Meta:
        model = ContactMessage
        fields: tuple[str, ...] = ()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handled"].initial = self.instance.handled_at is not None


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    form = ContactMessageForm
    list_display = ("created_at", "topic", "sender", "reply_to", "handled_at")
    list_filter = ("topic", ("handled_at", admin.EmptyFieldListFilter))
    readonly_fields = ("created_at", "sender", "reply_to", "topic", "message", "handled_at")
    fields = ("created_at", "topic", "sender", "reply_to", "message", "handled_at", "handled")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from the contact form only

    def save_model(
        self, request: HttpRequest, obj: ContactMessage, form: ContactMessageForm, change: bool
    ) -> None:
        contact_message_set_handled(message=obj, handled=form.cleaned_data["handled"])
