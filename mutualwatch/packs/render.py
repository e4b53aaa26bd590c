"""HTML to PDF with WeasyPrint: the only module that imports it."""


def pdf(html: str, base_url: str) -> bytes:
    """The document as an A4 PDF (the page size is the stylesheet's); ``base_url`` resolves
    the document's relative links and images."""
    # Imported here, not with the site: it takes longer to load than the site does to start.
    import weasyprint

    return bytes(weasyprint.HTML(string=html, base_url=base_url).write_pdf())
