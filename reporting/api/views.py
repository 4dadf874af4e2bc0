"""API v1: the council figures of a municipality and year (the same ``council_figures`` as the
dashboard and the PDF report).

    GET /api/v1/raadsrapportages/{gemeentecode}           years with figures
    GET /api/v1/raadsrapportages/{gemeentecode}/{jaar}    the figures of one year

Only for users who may see the municipality's aggregates (raadsleden, SR-team and inkoop of that
municipality, the administrator); anyone else gets a 404, as for objects outside their scope.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from contracts.models import Gemeente
from reporting import selectors
from sroi_portal import access, clock

from .serializers import RaadsrapportageSerializer

GEMEENTECODE = OpenApiParameter("gemeentecode", OpenApiTypes.STR, OpenApiParameter.PATH,
                                description="CBS-code van de gemeente, bijvoorbeeld GM0637.")


class RaadsrapportageViewSet(viewsets.ViewSet):
    """De cijfers voor de gemeenteraad per gemeente en jaar (alleen totalen; kleine aantallen onderdrukt)."""

    lookup_field = "jaar"
    lookup_value_regex = "[0-9]{4}"

    def _gemeente(self, code):
        gemeente = Gemeente.objects.filter(code=code).first()
        if gemeente is None or not access.may_see_aggregates(self.request.user, gemeente):
            raise Http404
        return gemeente

    @extend_schema(
        parameters=[GEMEENTECODE],
        responses=inline_serializer("RaadsrapportageJaren", {
            "gemeente": serializers.CharField(), "jaren": serializers.ListField(child=serializers.IntegerField()),
        }),
    )
    def list(self, request, gemeentecode=None):
        gemeente = self._gemeente(gemeentecode)
        return Response({"gemeente": gemeente.code, "jaren": selectors.available_years(gemeente=gemeente)})

    @extend_schema(
        parameters=[GEMEENTECODE, OpenApiParameter("jaar", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=RaadsrapportageSerializer,
    )
    def retrieve(self, request, gemeentecode=None, jaar=None):
        gemeente = self._gemeente(gemeentecode)
        jaar = int(jaar)
        if not (2000 <= jaar <= clock.today().year):
            raise Http404
        figures = selectors.council_figures(gemeente=gemeente, jaar=jaar)
        return Response(RaadsrapportageSerializer(figures).data)
