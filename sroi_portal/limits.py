"""Request bodies over the limit are refused before they are read (413).

Django reads a body only when a view (or the CSRF check) asks for it, and then answers a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a bare 400 (``RequestDataTooBig``). This middleware, early in
``MIDDLEWARE``, compares the announced ``Content-Length`` with the limit first:

- ``/api/...``: at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (default 2.5 MB; the API takes JSON
  only), else 413 ``application/problem+json`` in Dutch;
- pages, ``multipart/form-data`` (file uploads): at most the largest file a page accepts
  (``SROI_EVIDENCE_MAX_BYTES``, ``SROI_IMPORT_MAX_BYTES``, ``SROI_PLAN_MAX_BYTES``) plus 1 MB for
  the other fields, so a file just over its own limit still gets the form's Dutch message;
- other page bodies: at most ``DATA_UPLOAD_MAX_MEMORY_SIZE``;

and answers a Dutch 413 page. A body without ``Content-Length`` is read by Django up to the
limits above as before.
"""

from django.conf import settings
from django.shortcuts import render

from sroi_portal.api.problems import api_request_too_large

UPLOAD_FORM_MARGIN = 1024 * 1024  # the other fields and the multipart framing around the file


def body_limit(request) -> int | None:
    """The largest body (bytes) this request may carry, or None for no limit."""
    data_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.path.startswith("/api/"):
        return data_limit
    if request.content_type == "multipart/form-data":
        largest_file = max(settings.SROI_EVIDENCE_MAX_BYTES, settings.SROI_IMPORT_MAX_BYTES, settings.SROI_PLAN_MAX_BYTES)
        return max(largest_file + UPLOAD_FORM_MARGIN, data_limit or 0)
    return data_limit


def _content_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return None


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        length = _content_length(request)
        if limit is not None and length is not None and length > limit:
            if request.path.startswith("/api/"):
                response = api_request_too_large(request, limit=limit)
                response["API-Version"] = settings.API_VERSION
                return response
            megabytes = f"{limit / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return render(request, "413.html", {"megabytes": megabytes}, status=413)
        return self.get_response(request)
