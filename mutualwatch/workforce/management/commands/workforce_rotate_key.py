from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.workforce.exceptions import KeyMissing
from mutualwatch.workforce.services import reseal_everything


class Command(BaseCommand):
    help = (
        "Reseal every workforce record and piece of evidence under MUTUALWATCH_WORKFORCE_KEY, "
        "opening them with it or any of MUTUALWATCH_WORKFORCE_OLD_KEYS; afterwards the old keys "
        "can be dropped."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = reseal_everything()
        except KeyMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Resealed {count:,} workforce records and pieces of evidence.")
