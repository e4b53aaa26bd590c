from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from mutualwatch.workforce.services import delete_expired


class Command(BaseCommand):
    help = (
        "Delete every workforce record, piece of evidence and questionnaire link past its "
        "retention period (MUTUALWATCH_WORKFORCE_RETENTION_DAYS), logging how many per branch. "
        "The workforce pages do this too before they read; run it daily from cron as well."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = delete_expired()
        self.stdout.write(
            f"Deleted {deleted:,} workforce records and pieces of evidence kept longer than "
            f"{settings.WORKFORCE_RETENTION_DAYS:,} days."
        )
