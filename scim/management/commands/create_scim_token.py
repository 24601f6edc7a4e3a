"""Make a SCIM bearer token for the identity system; the token is the last word
printed, and is not kept anywhere (only its hash is)."""

from django.core.management.base import BaseCommand

from scim.services import scim_token_create


class Command(BaseCommand):
    help = "Make a SCIM bearer token named NAME; prints the token once, last."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="Which system will use it, e.g. 'Entra ID'.")

    def handle(self, *args, name: str, **options) -> None:
        row, token = scim_token_create(name=name)
        self.stdout.write(
            f"SCIM token {row.name!r} made. Copy it now; it cannot be shown again: "
            f"{token}"
        )
