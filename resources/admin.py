from django.contrib import admin
from django.http import HttpRequest

from .models import Category, GroupFeature, ReminderLog, Resource, Suggestion, Tag

admin.site.register(Category)
admin.site.register(Tag)
admin.site.register(ReminderLog)
admin.site.register(GroupFeature)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "last_reviewed"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "summary"]
    # Curation happens in the staff pages, through the services (which render the Markdown and
    # refresh the help page's cache); the admin is for looking.
    readonly_fields = ["body_html"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "created_at"]
    list_filter = ["status"]
