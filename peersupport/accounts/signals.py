"""Signals accounts sends to the layers above it (which it never imports)."""

from django.dispatch import Signal

# Sent after commit when a member's data export is ready: kwargs export_id, user_id.
data_export_ready = Signal()
