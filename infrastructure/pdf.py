"""The report as a tagged PDF, printed from its HTML by WeasyPrint.

WeasyPrint needs Pango (libpango-1.0-0, libpangoft2-1.0-0) and fonts from the system:
`make` installs them on Debian. It is imported when a PDF is first asked for, so cogov runs
without them and only the PDF is refused, with the reason. The report loads nothing: every
URL it might name is refused, so a PDF never reaches the network or the file system.
"""

from __future__ import annotations

import functools
from typing import Any

from cogov.application.report import PdfUnavailable

# PDF/UA-1 (tagged, for screen readers) where WeasyPrint knows it, else tagged PDF/A.
VARIANTS = ("pdf/ua-1", "pdf/a-3a", "pdf/a-3b")


@functools.cache
def _weasyprint() -> tuple[Any, str | None]:
    try:
        # needs system libraries: loaded on first use
        import weasyprint
        from weasyprint.pdf import VARIANTS as KNOWN
    except (ImportError, OSError) as e:
        raise PdfUnavailable(
            f"WeasyPrint cannot be loaded ({e}); install it and Pango "
            "(apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)"
        ) from None
    variant = next((v for v in VARIANTS if v in KNOWN), None)
    return weasyprint, variant


def _refuse(url: str, *_: Any, **__: Any) -> Any:
    raise ValueError(f"the report loads nothing from outside itself (asked for {url[:80]!r})")


def render_pdf(html: str) -> bytes:
    """The PDF of `html`, tagged (PDF/UA-1 where available)."""
    weasyprint, variant = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_refuse)
    options: dict[str, Any] = {"pdf_variant": variant} if variant else {}
    pdf: bytes = document.write_pdf(**options)
    return pdf
