"""Background tasks (Django tasks; the database backend runs them in `mutualwatch db_worker`)."""

from django.tasks import task

from mutualwatch.analysis.services import refresh_fates


@task()
def recompute_fates() -> int:
    """Recompute the fates over the published register; returns the stored result's id."""
    return refresh_fates().pk
