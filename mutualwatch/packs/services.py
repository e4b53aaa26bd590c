"""A council's branch pack as a PDF: its content (``content.branch_pack``) printed through
the pack's template."""

import base64
import datetime

from django.conf import settings
from django.template.loader import render_to_string

from mutualwatch.packs import render
from mutualwatch.packs.content import branch_pack
from mutualwatch.register.models import Authority


def pack_html(authority: Authority, today: datetime.date, site: str = "") -> str:
    """The pack on ``authority`` as made on ``today``, as the HTML WeasyPrint prints; ``site``
    is this site's address, which its links to record pages start with."""
    pack = branch_pack(authority, today, site)
    return render_to_string(
        "packs/pack.html",
        {
            "pack": pack,
            "timeline_base64": base64.b64encode(pack.timeline_svg.encode()).decode(),
            "demo_mode": settings.DEMO_MODE,
        },
    )


def pack_pdf(authority: Authority, today: datetime.date, site: str = "") -> bytes:
    """``pack_html`` printed: an A4 PDF."""
    return render.pdf(pack_html(authority, today, site), base_url=site or str(settings.BASE_DIR))
