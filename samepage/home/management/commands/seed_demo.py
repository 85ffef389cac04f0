"""Create the fictional demo district "Riverbend Unified" and print a login per role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samepage.accounts.models import User
from samepage.home import demo


class Command(BaseCommand):
    help = "Seed the demo district (idempotent). --reset wipes the database first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Wipe the whole database, then seed."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Seed only when nobody has an account yet."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            if settings.PRODUCTION:
                raise CommandError("--reset wipes everything and is refused in production.")
            call_command("flush", interactive=False, verbosity=0)
        if options["if_empty"] and User.objects.exists() and not demo.demo_exists():
            self.stdout.write("The database already has people in it; the demo was not added.")
            return
        if demo.demo_exists():
            self.stdout.write(f"The demo district {demo.DISTRICT_NAME} is already there.")
        else:
            demo.seed()
            self.stdout.write(
                self.style.SUCCESS(f"Created the demo district {demo.DISTRICT_NAME}.")
            )
        self.print_logins()

    def print_logins(self) -> None:
        width = max(len(login.role) for login in demo.DEMO_LOGINS)
        self.stdout.write("")
        self.stdout.write(
            "Sign in at http://127.0.0.1:8000/ with password: " + demo.demo_password()
        )
        for login in demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.role.ljust(width)}  {login.email}")
        self.stdout.write("")
