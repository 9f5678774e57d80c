"""Make the first administrator: `python manage.py create_admin --email … --display-name …`."""

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peersupport.accounts.services import DisplayNameTaken, EmailTaken, admin_create

PASSWORD_ENV = "ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an administrator who can sign in at once (the e-mail address counts as "
        f"verified). The password is asked for, or read from the {PASSWORD_ENV} environment "
        "variable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the address to sign in with")
        parser.add_argument(
            "--display-name", required=True, help="the name other people see (not a real name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(PASSWORD_ENV) or self._ask_password()
        try:
            user = admin_create(
                email=options["email"], display_name=options["display_name"], password=password
            )
        except EmailTaken as exc:
            raise CommandError(f"An account with the e-mail address {exc} already exists.") from exc
        except DisplayNameTaken as exc:
            raise CommandError(
                "Someone already uses that display name; please choose another."
            ) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator {user.display_name} created: sign in with {user.email}."
            )
        )

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(
                f"No password: run this in a terminal to be asked for one, or set {PASSWORD_ENV}."
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords did not match; nothing was created.")
        if not first:
            raise CommandError("The password may not be empty; nothing was created.")
        return first
