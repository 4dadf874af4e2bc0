"""The council report as a PDF: a Django template rendered by WeasyPrint (PDF/UA-1, A4).

Called from the Celery task (``reporting.tasks.generate_council_report``), never in a request.
The figures are the same ``CouncilFigures`` the dashboard and the API show; the charts are the
same server-side SVG.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .charts import council_charts

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint reports every layout step at INFO; the worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(figures, *, made_at) -> str:
    with translation.override("nl"):
        return render_to_string(
            "reporting/pdf/raadsrapportage.html",
            {"f": figures, "charts": council_charts(figures, prefix="pdf"), "made_at": made_at},
        )


def render_council_report(figures, *, made_at) -> bytes:
    from weasyprint import HTML

    html = render_html(figures, made_at=made_at)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_identifier=figures.gegevensversie.encode() or None,
    )
