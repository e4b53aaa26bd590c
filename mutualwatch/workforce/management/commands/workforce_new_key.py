from typing import Any

from django.core.management.base import BaseCommand

from mutualwatch.workforce.crypto import new_key


class Command(BaseCommand):
    help = (
        "Print a new key for sealing members' terms and conditions, to set as "
        "MUTUALWATCH_WORKFORCE_KEY (keep the old one in MUTUALWATCH_WORKFORCE_OLD_KEYS until "
        "`mutualwatch workforce-rotate-key` has resealed everything)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
