from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import AccountDeletion, ConsentRecord, DataExport, PrivacyNotice, User
from .privacy.notice import privacy_notice_publish


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")


class MemberChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    ordering = ("display_name",)
    list_display = ("display_name", "email", "is_staff", "is_active", "date_joined")
    search_fields = ("display_name", "email")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "pronouns", "bio", "timezone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
        (
            _("Privacy"),
            {"fields": ("health_consent_at", "health_consent_version", "consent_asked_at")},
        ),
    )
    # Consent is the member's own act: administrators see it, never set it.
    readonly_fields = ("health_consent_at", "health_consent_version", "consent_asked_at")
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """Each save publishes a new version; published versions are kept and never edited."""

    list_display = ("version", "published_at", "summary", "published_by")
    fields = ("body", "summary")
    readonly_fields = ("version", "published_at", "published_by")

    def get_fields(self, request, obj=None):  # noqa: ANN001, ANN201 - Django's signature
        if obj is not None:
            return ("version", "published_at", "published_by", "summary", "body")
        return self.fields

    def get_readonly_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        if obj is not None:
            return ("version", "published_at", "published_by", "summary", "body")
        return ()

    def get_changeform_initial_data(self, request):  # noqa: ANN001, ANN201
        # Start from the newest version, so an edit is a small change, not a blank page.
        latest = PrivacyNotice.objects.order_by("-version").first()
        return {"body": latest.body} if latest else {}

    def save_model(self, request, obj, form, change):  # noqa: ANN001, ANN201
        if change:
            return
        published = privacy_notice_publish(
            body=form.cleaned_data["body"],
            summary=form.cleaned_data["summary"],
            published_by=request.user,
        )
        obj.pk, obj.version = published.pk, published.version

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "notice_version", "source", "given_at")
    list_filter = ("kind", "source")
    readonly_fields = ("user", "kind", "notice_version", "source", "given_at")

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    """Status only: administrators never download a member's export."""

    list_display = ("user", "status", "requested_at", "finished_at", "expires_at")
    list_filter = ("status",)
    exclude = ("token", "file_name")

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(AccountDeletion)
class AccountDeletionAdmin(admin.ModelAdmin):
    """Read-only: deletions are requested and cancelled by members and purged by beat."""

    list_display = ("pk", "status", "choice", "requested_at", "purge_after", "purged_at")
    list_filter = ("status", "choice")
    ordering = ("-requested_at",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
