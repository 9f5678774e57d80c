"""A small in-process beat for the embedded default (`make run`: tasks inline, no beat process).

Without it nothing periodic would ever run there: no escalation of an urgent case nobody
claimed, no sweeps, no digests. It is started by the ASGI server's lifespan (see asgi.py) when
`PERIODIC_JOBS_IN_PROCESS` is on, which it is by default only when tasks run inline (no
`REDIS_URL`); tests and deployments with a real `celery beat` leave it off. Every job it runs
is idempotent, so a second web process running the same schedule sends nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from celery.schedules import crontab, schedule
from channels.db import database_sync_to_async
from django.conf import settings

log = logging.getLogger(__name__)

TICK_SECONDS = 5.0


def _as_schedule(value: Any) -> schedule | crontab:
    if isinstance(value, int | float):
        return schedule(timedelta(seconds=value))
    if isinstance(value, timedelta):
        return schedule(value)
    return value


class InProcessBeat:
    """Runs the Celery beat schedule from inside the web process.

    Interval jobs (escalation, sweeps, digests) run once at start, to catch up on the time the
    server was down, then at their interval; calendar jobs (crontab) only when due.
    """

    def __init__(self, *, app: Any | None = None, beat_schedule: dict | None = None) -> None:
        if app is None:
            from peersupport.celery import app
        self.app = app
        entries = settings.CELERY_BEAT_SCHEDULE if beat_schedule is None else beat_schedule
        self.entries: dict[str, dict[str, Any]] = {
            name: {"task": entry["task"], "schedule": _as_schedule(entry["schedule"])}
            for name, entry in entries.items()
        }
        self.last_run: dict[str, datetime | None] = {}
        for name, entry in self.entries.items():
            is_interval = not isinstance(entry["schedule"], crontab)
            self.last_run[name] = None if is_interval else self.app.now()
        self._task: asyncio.Task | None = None
        self._tasks_loaded = False

    def due(self) -> list[str]:
        """Names of the entries due now (never run yet counts as due for interval jobs)."""
        names = []
        for name, entry in self.entries.items():
            last = self.last_run[name]
            if last is None or entry["schedule"].is_due(last).is_due:
                names.append(name)
        return names

    def tick(self) -> list[str]:
        """Run every due job once (inline when tasks run inline); a failing job is logged."""
        if not self._tasks_loaded:
            # The tasks modules, as a worker would import them (once).
            self.app.loader.import_default_modules()
            self._tasks_loaded = True
        ran = []
        for name in self.due():
            self.last_run[name] = self.app.now()
            task = self.app.tasks[self.entries[name]["task"]]
            try:
                task.apply_async()
            except Exception:  # noqa: BLE001 - one failing job must not stop the others
                log.exception("periodic job %s failed", name)
            ran.append(name)
        return ran

    async def run(self, *, interval: float = TICK_SECONDS) -> None:
        """Tick until cancelled, each tick in Django's sync thread with fresh connections."""
        tick = database_sync_to_async(self.tick)
        while True:
            try:
                await tick()
            except Exception:  # noqa: BLE001 - keep the schedule alive whatever happens
                log.exception("the in-process scheduler's tick failed")
            await asyncio.sleep(interval)

    def start(self, *, interval: float = TICK_SECONDS) -> None:
        """Start ticking in the running event loop (the server's)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(interval=interval))
            log.info("periodic jobs run in this web process (PERIODIC_JOBS_IN_PROCESS)")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None


async def lifespan(scope: dict, receive: Any, send: Any) -> None:
    """The ASGI lifespan protocol: start the in-process beat with the server when configured."""
    beat: InProcessBeat | None = None
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                if getattr(settings, "PERIODIC_JOBS_IN_PROCESS", False):
                    beat = InProcessBeat()
                    beat.start(
                        interval=getattr(settings, "PERIODIC_JOBS_TICK_SECONDS", TICK_SECONDS)
                    )
            except Exception as exc:  # noqa: BLE001
                await send({"type": "lifespan.startup.failed", "message": str(exc)})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if beat is not None:
                await beat.stop()
            await send({"type": "lifespan.shutdown.complete"})
            return
