"""The API's filter backend: django-filter, strict about what it is given.

- A filter parameter that is present but empty (``?status=``) is a 400, not silently ignored.
- A number filter outside the range a database integer can hold is a 400 (it used to overflow
  SQLite: a 500 found by schemathesis); on an integer field (ids, years) it must be whole (the
  schema says integer).
- Invalid values (an unknown choice, a date that is not a date) are a 400 naming the parameter,
  as django-filter does with ``raise_exception``.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django_filters import NumberFilter, utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

LARGEST = Decimal(2**63 - 1)


def _is_integer_field(model, field_name) -> bool:
    field = utils.get_model_field(model, field_name)
    if field is None:
        return False
    if field.is_relation:
        field = field.target_field
    return isinstance(field, (models.IntegerField, models.AutoField))


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors = {}
        for name in filterset.filters:
            if any(not value.strip() for value in request.query_params.getlist(name)):
                errors[name] = [_("Vul een waarde in, of laat de parameter weg.")]
        if errors:
            raise ValidationError(errors)
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        for name, filter_ in filterset.filters.items():
            value = filterset.form.cleaned_data.get(name)
            if not isinstance(filter_, NumberFilter) or value is None:
                continue
            if not value.is_finite() or abs(value) > LARGEST:
                errors[name] = [_("Dit getal is te groot.")]
            elif _is_integer_field(filterset.queryset.model, filter_.field_name) and value != value.to_integral_value():
                errors[name] = [_("Vul een geheel getal in.")]
        if errors:
            raise ValidationError(errors)
        return filterset.qs
