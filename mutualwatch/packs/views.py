from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mutualwatch.packs.services import pack_pdf
from mutualwatch.page_cache import PAGE_TIMEOUT, register_version
from mutualwatch.register.models import Authority


def branch_pack(request: HttpRequest, gss_code: str) -> HttpResponse:
    """The council's branch pack, made once a day while the register is unchanged: it shows
    published records only, the same whoever asks."""
    authority = get_object_or_404(Authority, gss_code=gss_code)
    today = timezone.localdate()
    site = settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
    demo = "demo" if settings.DEMO_MODE else "live"
    key = f"branch-pack:{register_version()}:{demo}:{site}:{gss_code}:{today.isoformat()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = pack_pdf(authority, today, site)
        cache.set(key, pdf, PAGE_TIMEOUT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="branch-pack-{gss_code}-{today.isoformat()}.pdf"'
    )
    return response
