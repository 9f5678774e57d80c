"""The member's copy of their data: request, build (a Celery job), download, expiry.

The ZIP holds `data.json` (every section) and `index.html` (the same, readable in a browser).
Files live in `settings.DATA_EXPORT_ROOT`, never under a public URL: the download view serves
them only to their own signed-in account, for seven days.
"""

import io
import json
import logging
import os
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from ..models import ConsentRecord, DataExport, User
from ..signals import data_export_ready
from .registry import export_sections

log = logging.getLogger(__name__)

LINK_DAYS = 7
EXPORT_EVERY = timedelta(hours=24)
# A pending export not picked up by then was probably lost with the broker.
SWEEP_PENDING_AFTER = timedelta(minutes=2)
# A running export older than this lost its worker: it goes back to pending.
STUCK_RUNNING_AFTER = timedelta(minutes=30)
MAX_ATTEMPTS = 5


class ExportTooSoon(Exception):
    """One export per 24 hours; `available_at` says when the next one may be asked for."""

    def __init__(self, available_at: datetime) -> None:
        super().__init__(available_at)
        self.available_at = available_at


def export_root() -> Path:
    return Path(settings.DATA_EXPORT_ROOT)


def export_path(export: DataExport) -> Path:
    return export_root() / export.file_name


# --- request ---------------------------------------------------------------------------------
def _enqueue(export_id: int) -> None:
    from ..tasks import data_export_build

    DataExport.objects.filter(pk=export_id).update(enqueued_at=timezone.now())
    try:
        data_export_build.delay(export_id)
    except Exception:  # noqa: BLE001 - broker outage: the row stays pending for the sweeper
        log.warning("could not enqueue export %s; the sweeper will retry", export_id, exc_info=True)


@transaction.atomic
def data_export_request(*, user: User) -> tuple[DataExport, bool]:
    """Queue an export; a running one is returned instead of a second (created False).

    Raises ExportTooSoon when one was made in the last 24 hours.
    """
    # The member's row lock serialises two clicks; the partial unique constraint backs it up.
    User.objects.select_for_update().filter(pk=user.pk).first()
    running = (
        DataExport.objects.filter(
            user=user, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
        )
        .order_by("-requested_at")
        .first()
    )
    if running is not None:
        return running, False
    now = timezone.now()
    recent = (
        DataExport.objects.filter(user=user, requested_at__gt=now - EXPORT_EVERY)
        .exclude(status=DataExport.Status.FAILED)
        .order_by("-requested_at")
        .first()
    )
    if recent is not None:
        raise ExportTooSoon(recent.requested_at + EXPORT_EVERY)
    export = DataExport.objects.create(user=user, token=secrets.token_urlsafe(32), requested_at=now)
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export, True


# --- reads -----------------------------------------------------------------------------------
def data_export_latest_for(user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-pk").first()


def data_export_for_download(*, user: User, token: str) -> DataExport | None:
    """The member's own ready, unexpired export with this token; anything else is None (404)."""
    if not user.is_authenticated or not token:
        return None
    export = DataExport.objects.filter(user=user, token=token).first()
    if export is None or not export.is_downloadable():
        return None
    if not export_path(export).is_file():
        return None
    return export


# --- build (the Celery job calls this) -------------------------------------------------------
def _profile_section(user: User) -> dict:
    return {
        "display_name": user.display_name,
        "email": user.email,
        "pronouns": user.pronouns,
        "bio": user.bio,
        "timezone": user.timezone,
        "date_joined": user.date_joined,
        "health_consent_given_at": user.health_consent_at,
        "health_consent_notice_version": user.health_consent_version,
    }


def _consent_section(user: User) -> list[dict]:
    return [
        {
            "kind": c.kind,
            "notice_version": c.notice_version,
            "given_at": c.given_at,
            "where": c.get_source_display(),
        }
        for c in ConsentRecord.objects.filter(user=user).order_by("given_at", "pk")
    ]


@dataclass
class ExportData:
    generated_at: datetime
    sections: list[dict]

    def as_json(self) -> dict:
        data: dict = {"generated_at": self.generated_at, "format_version": 1}
        for section in self.sections:
            data[section["key"]] = section["items"]
        return data


def data_export_collect(user: User) -> ExportData:
    """Everything that is the member's own, section by section (nothing of anyone else)."""
    with translation.override(settings.LANGUAGE_CODE):
        sections = [
            {"key": "profile", "title": gettext("Your profile"), "items": [_profile_section(user)]},
            {
                "key": "consents",
                "title": gettext("Consents you gave"),
                "items": _consent_section(user),
            },
        ]
        for section in export_sections():
            sections.append(
                {"key": section.key, "title": str(section.title), "items": section.collect(user)}
            )
    return ExportData(generated_at=timezone.now(), sections=sections)


def _zip_bytes(user: User, data: ExportData) -> bytes:
    payload = json.dumps(data.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    with translation.override(settings.LANGUAGE_CODE):
        index = render_to_string(
            "accounts/export/index.html",
            {"member": user, "generated_at": data.generated_at, "sections": data.sections},
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", index)
        archive.writestr("data.json", payload)
    return buffer.getvalue()


def data_export_build(*, export_id: int) -> str:
    """Build one export's ZIP once. Gone, ready or expired → nothing; after commit, tell the member."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id)
            .first()
        )
        if export is None or not export.in_progress:
            return "nothing"
        export.status = DataExport.Status.RUNNING
        export.attempts += 1
        export.started_at = timezone.now()
        export.save(update_fields=["status", "attempts", "started_at"])
    user = export.user
    try:
        content = _zip_bytes(user, data_export_collect(user))
        root = export_root()
        root.mkdir(parents=True, exist_ok=True)
        name = f"{export.pk}-{secrets.token_hex(12)}.zip"
        partial = root / f".{name}.part"
        partial.write_bytes(content)
        os.replace(partial, root / name)  # atomic: a half-written file is never served
    except Exception:
        DataExport.objects.filter(pk=export.pk, status=DataExport.Status.RUNNING).update(
            status=DataExport.Status.PENDING
            if export.attempts < MAX_ATTEMPTS
            else DataExport.Status.FAILED
        )
        raise
    with transaction.atomic():
        now = timezone.now()
        updated = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.RUNNING).update(
            status=DataExport.Status.READY,
            file_name=name,
            size=len(content),
            finished_at=now,
            expires_at=now + timedelta(days=LINK_DAYS),
        )
        if not updated:  # another attempt finished first: keep its file, drop ours
            (root / name).unlink(missing_ok=True)
            return "nothing"
        transaction.on_commit(
            lambda: data_export_ready.send(sender=DataExport, export_id=export.pk, user_id=user.pk)
        )
    return "ready"


# --- sweeping and retention (beat) -----------------------------------------------------------
def data_exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their seven days at once; the row stays as "expired"."""
    now = now or timezone.now()
    count = 0
    for export in DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now):
        with transaction.atomic():
            locked = DataExport.objects.select_for_update().filter(pk=export.pk).first()
            if locked is None or locked.status != DataExport.Status.READY:
                continue
            if locked.file_name:
                export_path(locked).unlink(missing_ok=True)
            locked.status = DataExport.Status.EXPIRED
            locked.file_name = ""
            locked.save(update_fields=["status", "file_name"])
            count += 1
    return count


def data_exports_due_for_sweep(*, now: datetime | None = None) -> list[int]:
    """Pending exports a broker outage lost, and running ones whose worker died."""
    now = now or timezone.now()
    DataExport.objects.filter(
        status=DataExport.Status.RUNNING, started_at__lt=now - STUCK_RUNNING_AFTER
    ).update(status=DataExport.Status.PENDING)
    DataExport.objects.filter(status=DataExport.Status.PENDING, attempts__gte=MAX_ATTEMPTS).update(
        status=DataExport.Status.FAILED
    )
    return list(
        DataExport.objects.filter(status=DataExport.Status.PENDING)
        .exclude(enqueued_at__gt=now - SWEEP_PENDING_AFTER)
        .values_list("pk", flat=True)[:100]
    )


def data_exports_enqueue(ids: list[int]) -> None:
    for export_id in ids:
        _enqueue(export_id)
