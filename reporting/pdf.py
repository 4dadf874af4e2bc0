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


PART_SUFFIX = ".part"


def save_atomically(storage, name: str, content: bytes) -> str:
    """Store a finished PDF under its final ``name``, so that no reader ever finds half a file.

    On a local file system (``FileSystemStorage``, the portal's private storage) the bytes go to
    a temporary file next to the final one (``<name>.<random>.part``), are flushed to disk and then
    renamed over the final name in one step (``os.replace``): a worker killed half-way leaves at
    most a ``.part`` file, which :func:`remove_leftovers` deletes on the next run, and a report
    made again replaces its file instead of piling up copies. Other storages write the whole
    object in one request; the name given is replaced there too.
    """
    import os
    import tempfile

    try:
        final = storage.path(name)
    except NotImplementedError:  # not a local file system
        if storage.exists(name):
            storage.delete(name)
        from django.core.files.base import ContentFile

        return storage.save(name, ContentFile(content))
    directory = os.path.dirname(final)
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=os.path.basename(final) + ".", suffix=PART_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        permissions = getattr(storage, "file_permissions_mode", None)
        if permissions is not None:
            os.chmod(temporary, permissions)
        os.replace(temporary, final)
    except BaseException:
        with _ignored(OSError):
            os.remove(temporary)
        raise
    return name


def remove_leftovers(storage, name: str) -> int:
    """Delete the ``.part`` files an interrupted :func:`save_atomically` of ``name`` left; how many."""
    import glob
    import os

    try:
        final = storage.path(name)
    except NotImplementedError:
        return 0
    removed = 0
    for path in glob.glob(glob.escape(final) + ".*" + PART_SUFFIX):
        with _ignored(OSError):
            os.remove(path)
            removed += 1
    return removed


def _ignored(*errors):
    import contextlib

    return contextlib.suppress(*errors)
