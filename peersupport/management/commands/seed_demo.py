"""Load demo people and content. Deterministic and safe to run again."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from peersupport.demo import DEMO_PEOPLE, seed_all


class Command(BaseCommand):
    help = "Create demo people and content (only with DEBUG on, unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo sign-ins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo data because DEBUG is off (this looks like a real "
                "deployment). Use --force if you really mean it."
            )
        # Demo people have example.org addresses: the notifications their demo content
        # triggers are kept in the app (in-app centre), not e-mailed or printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            seed_all(log=lambda line: self.stdout.write(line))
        if not options["quiet_logins"]:
            self.stdout.write(
                self.style.SUCCESS(f"Demo sign-ins (password for all: {settings.DEMO_PASSWORD}):")
            )
            for person in DEMO_PEOPLE:
                self.stdout.write(f"  {person.role:<13} {person.display_name:<15} {person.email}")
