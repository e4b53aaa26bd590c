from typing import Any

from django.core.management.base import BaseCommand

from mutualwatch.publishing.search import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the public full-text search index from the register."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_search_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents."))
