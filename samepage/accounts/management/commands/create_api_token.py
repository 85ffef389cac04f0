"""Make a personal API token for someone and print it once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samepage.accounts.actions import do_create_api_token
from samepage.accounts.models import User


class Command(BaseCommand):
    help = "Create an API token for the person with --email and print it (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The person's sign-in email.")
        parser.add_argument("--name", default="Command line", help="A name for the token.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No person has the email address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account for {email!r} is deactivated.")
        try:
            _token, raw = do_create_api_token(user, actor=None, name=options["name"])
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from e
        self.stdout.write(raw)
        self.stderr.write("Store this token now: it cannot be shown again.")
