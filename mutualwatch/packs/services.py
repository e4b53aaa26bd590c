"""A council's branch pack as a PDF: its content (``content.branch_pack``) printed through
the pack's template."""

import base64
import datetime

from django.conf import settings
from django.template.loader import render_to_string

from mutualwatch.packs import render
from mutualwatch.packs.content import branch_pack
from mutualwatch.register.models import Authority


def pack_pdf(authority: Authority, today: datetime.date, site: str = "") -> bytes:
    """The pack on ``authority`` as made on ``today``; ``site`` is this site's address, which
    its links to record pages start with."""
    pack = branch_pack(authority, today, site)
    html = render_to_string(
        "packs/pack.html",
        {
            "pack": pack,
            "timeline_base64": base64.b64encode(pack.timeline_svg.encode()).decode(),
            "demo_mode": settings.DEMO_MODE,
        },
    )
    return render.pdf(html, base_url=site or str(settings.BASE_DIR))
