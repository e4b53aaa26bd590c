"""Benchmark the branch packs: seconds per pack for 20 councils, each beside WeasyPrint's time
for a plain reference document of the same page count, in the same run.

The reference is what printing costs anyway: A4 pages of plain paragraphs under the pack's own
page furniture (running header, footer, "Page n of N"), one page per section, as many pages as
that council's pack has. The pack's time is everything `mutualwatch branch-pack` does: reading
the register, the fates rules over the council, its contracts, the timeline's SVG (vl-convert)
and WeasyPrint's layout of its tables. Target: no more than 2x the reference.

    uv run python bench/packs.py                     # the demo world in var/demo (SQLite)
    uv run python bench/packs.py --database postgres://postgres@127.0.0.1:5432/mutualwatch_bench

The database must hold a loaded world: `mutualwatch demo --no-serve` makes var/demo's, and
`bench/web.py --size demo --with-ocds` the PostgreSQL one.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0
PARAGRAPH = (
    "The council's cabinet agreed in principle to transfer the service to a new body, subject "
    "to consultation with staff, their trade unions and service users, and to a business case "
    "setting out the costs, the pension arrangements and the protections under TUPE. "
)


def reference_html(pages: int) -> str:
    """Plain paragraphs, one page's worth per section, under the pack's page furniture."""
    page = "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(5))
    sections = "".join(
        f'<section class="page"><h2>Section {n}</h2>{page}</section>' for n in range(pages)
    )
    return (
        "<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><style>"
        "@page { size: A4; margin: 18mm 16mm 20mm 16mm;"
        " @top-left { content: 'Reference document'; font-size: 8pt; }"
        " @bottom-right { content: 'Page ' counter(page) ' of ' counter(pages); font-size: 8pt; } }"
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; line-height: 1.35; }"
        "section.page { break-after: page; }"
        f"</style></head><body>{sections}</body></html>"
    )


def page_count(pdf: bytes) -> int:
    """Pages, as poppler's pdfinfo counts them (installed by scripts/setup --browser)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default=f"sqlite:///{REPO / 'var' / 'demo' / 'mutualwatch.sqlite3'}",
        help="The loaded world's database (default: the demo's SQLite file).",
    )
    parser.add_argument("--councils", type=int, default=20)
    arguments = parser.parse_args()
    os.environ["DATABASE_URL"] = arguments.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualwatch.settings")
    os.environ.setdefault("MUTUALWATCH_CACHE_PUBLIC_PAGES", "0")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    import weasyprint
    from django.db.models import Count
    from django.utils import timezone

    from mutualwatch.packs import render
    from mutualwatch.packs.services import pack_html, pack_pdf
    from mutualwatch.register.models import Authority

    councils = list(
        Authority.objects.annotate(n=Count("arrangements"))
        .filter(n__gt=0)
        .order_by("gss_code")[: arguments.councils]
    )
    if not councils:
        sys.exit(f"No council with arrangements in {arguments.database}: load a world first.")
    today = timezone.localdate()
    pack_pdf(councils[0], today)  # warm: the first pack loads WeasyPrint's and vl-convert's code
    weasyprint.HTML(string=reference_html(1)).write_pdf()
    print(
        f"{'council':<34} {'pages':>5} {'content s':>9} {'pack s':>7} {'reference s':>11} "
        f"{'ratio':>6}"
    )
    ratios, pack_times, content_times = [], [], []
    for council in councils:
        started = time.perf_counter()
        html = pack_html(council, today)
        content_seconds = time.perf_counter() - started
        pdf = render.pdf(html, str(REPO))
        pack_seconds = time.perf_counter() - started
        pages = page_count(pdf)
        started = time.perf_counter()
        reference = weasyprint.HTML(string=reference_html(pages)).write_pdf()
        reference_seconds = time.perf_counter() - started
        reference_pages = page_count(reference)
        ratio = pack_seconds / reference_seconds
        ratios.append(ratio)
        pack_times.append(pack_seconds)
        content_times.append(content_seconds)
        print(
            f"{council.name[:34]:<34} {pages:>5} {content_seconds:>9.2f} {pack_seconds:>7.2f} "
            f"{reference_seconds:>11.2f} "
            f"{ratio:>6.2f}"
            + ("" if reference_pages == pages else f"  (reference {reference_pages} pages)")
        )
    median = statistics.median(ratios)
    print(
        f"\n{len(councils)} packs: median {statistics.median(pack_times):.2f} s per pack "
        f"(of which {statistics.median(content_times):.2f} s gathering its content); "
        f"ratio to the reference: median {median:.2f}, worst {max(ratios):.2f} "
        f"(target at most {TARGET_RATIO:g}): {'met' if median <= TARGET_RATIO else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
