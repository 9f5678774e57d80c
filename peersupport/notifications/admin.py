from django.contrib import admin

from .models import EmailOutbox, Notification, NotificationPreference, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "created_at", "read_at", "email_state")
    list_filter = ("kind", "email_state")
    raw_id_fields = ("recipient", "group")


@admin.register(EmailOutbox)
class EmailOutboxAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "window_key", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    raw_id_fields = ("recipient", "notification")


admin.site.register(NotificationPreference)
admin.site.register(NotificationSettings)
