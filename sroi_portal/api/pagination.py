from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def _single(request, name):
    """The one value of a query parameter, None when absent; given twice (``?page=1&page=2``) is a 400,
    as the schema documents one integer, not a list."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [_("Geef deze parameter één keer op.")]})
    return values[0] if values else None


def _whole_number(raw):
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() else None


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` (1 or higher) and ``?pageSize=`` (1..500), each at most once. A value that is not a
    whole number in range is a 400 naming the parameter (not silently the default); a page beyond
    the last is a 404."""

    page_size_query_param = "pageSize"
    max_page_size = 500
    last_page_strings = ()

    def get_page_number(self, request, paginator):
        raw = _single(request, self.page_query_param)
        if raw is None:
            return 1
        number = _whole_number(raw)
        if number is None or number < 1:
            raise ValidationError({self.page_query_param: [_("Geef een paginanummer van 1 of hoger.")]})
        return number

    def get_page_size(self, request):
        raw = _single(request, self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _whole_number(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [
                    _("Geef een paginagrootte van 1 tot en met %(max)s.") % {"max": self.max_page_size}
                ]}
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
