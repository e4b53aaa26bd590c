"""Background tasks (Django tasks; the database backend runs them in `mutualwatch db_worker`).

Protecting and auditing a national publication takes minutes, far longer than a page request,
so a research officer can queue it (`mutualwatch workforce-aggregates --background`) and the
worker's log shows how far it has got.
"""

import logging
from collections.abc import Callable

from django.tasks import task

from mutualwatch.workforce.publishing import publish, run_audit, summary_line

log = logging.getLogger(__name__)


def progress_log(step: str, every: float = 0.1) -> Callable[[int, int], None]:
    """A progress callback writing a log line each time another tenth of the work is done."""
    reported = -1.0

    def report(done: int, total: int) -> None:
        nonlocal reported
        share = done / total if total else 1.0
        if share >= reported + every or done == total:
            reported = share
            log.info(
                "%s: %s of %s checks done (%.0f%%).", step, f"{done:,}", f"{total:,}", 100 * share
            )

    return report


@task()
def publish_tables() -> int:
    """Publish a new release of the workforce tables, then audit everything published; returns
    the new publication's number. A failed audit is an error in the worker's log."""
    publication = publish(progress=progress_log("Protecting the workforce tables"))
    log.info(summary_line(publication))
    failed = [
        finding
        for finding in run_audit(progress=progress_log("Auditing every publication"))
        if not finding.passed
    ]
    if failed:
        log.error(
            "The disclosure audit FAILED for %d withheld cells: run `mutualwatch "
            "audit-disclosure` to see which.",
            len(failed),
        )
    return publication.number
