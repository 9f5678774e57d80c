"""Receivers for signals from below (accounts), which never import notifications."""

from django.urls import reverse
from django.utils.translation import gettext


def data_export_ready_notify(
    sender: object, *, export_id: int, user_id: int, **kwargs: object
) -> None:
    """Tell the member their export is ready: no content and no group name, in-app or by e-mail."""
    from peersupport.accounts.models import DataExport

    from .models import Kind
    from .services import notify

    export = DataExport.objects.select_related("user").filter(pk=export_id, user_id=user_id).first()
    if export is None or export.status != DataExport.Status.READY:
        return
    notify(
        recipient=export.user,
        kind=Kind.DATA_EXPORT_READY,
        url=reverse("accounts:data"),
        text=gettext("Your copy of your data is ready to download."),
        target=export,
    )
