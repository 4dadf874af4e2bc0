"""API v1 views for municipalities, suppliers and contracts. Querysets come from the access helpers."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from bouwblokken.models import Registratie
from contracts import selectors, services
from sroi_portal import access

from .filters import ContractFilter
from .serializers import ContractSerializer, GemeenteSerializer, LeverancierSerializer


ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


class GemeenteViewSet(viewsets.ReadOnlyModelViewSet):
    """Municipalities known to the portal."""

    serializer_class = GemeenteSerializer
    lookup_field = "code"

    def get_queryset(self):
        from contracts.models import Gemeente

        return Gemeente.objects.select_related("regio").order_by("code")


class LeverancierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Suppliers, identified by their KvK number."""

    serializer_class = LeverancierSerializer
    lookup_field = "kvk_nummer"
    lookup_url_kwarg = "kvkNummer"
    filterset_fields = ["kvk_nummer"]

    def get_queryset(self):
        return access.leveranciers_for(self.request.user).order_by("naam", "kvk_nummer")

    def perform_create(self, serializer):
        if not access.may_create_leverancier(self.request.user):
            raise PermissionDenied(_("U mag geen leveranciers registreren."))
        serializer.save()


def _realised(status):
    total = (
        Registratie.objects.filter(contract=OuterRef("pk"), status=status).order_by().values("contract")
        .annotate(total=Sum("waarde")).values("total")
    )
    return Coalesce(Subquery(total, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def _with_realisation_of_each(qs):
    """``goedgekeurd`` and ``in_behandeling`` as ``selectors.with_realisation`` gives them, but as a
    subquery per contract instead of a join with every registration and a GROUP BY: PostgreSQL then
    sums only the contracts of the requested page (after ORDER BY and LIMIT, on the index on
    registratie (contract, status)), and the count query does not touch the registrations at all."""
    return qs.annotate(goedgekeurd=_realised("goedgekeurd"), in_behandeling=_realised("ingediend"))


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Awarded contracts with their social-return obligation and realisation."""

    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return _with_realisation_of_each(
            access.contracts_for(self.request.user).select_related("gemeente", "leverancier", "catalogus", "beleid")
        ).order_by("-gunningsdatum", "id")

    def _context_for(self, contracts):
        context = self.get_serializer_context()
        # Realised at the reference date and the years of the page's contracts: one query.
        context["realisatie"] = selectors.realisation(contract_ids=[c.pk for c in contracts])
        return context

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = ContractSerializer(page, many=True, context=self._context_for(page))
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        contract = self.get_object()
        return Response(ContractSerializer(contract, context=self._context_for([contract])).data)

    def _respond(self, contract, status_code=status.HTTP_200_OK):
        contract = self.get_queryset().get(pk=contract.pk)
        return Response(ContractSerializer(contract, context=self._context_for([contract])).data, status=status_code)

    @extend_schema(request=ContractSerializer, responses={201: ContractSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ContractSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        if not access.may_create_contract(request.user, serializer.validated_data["gemeente"]):
            raise PermissionDenied(_("U mag geen contracten registreren voor deze gemeente."))
        contract = services.create_contract(user=request.user, **serializer.validated_data)
        return self._respond(contract, status.HTTP_201_CREATED)

    @extend_schema(request=ContractSerializer, responses={200: ContractSerializer})
    def partial_update(self, request, *args, **kwargs):
        contract = self.get_object()
        if not access.may_manage_contract(request.user, contract):
            raise PermissionDenied(_("U mag dit contract niet wijzigen."))
        serializer = ContractSerializer(contract, data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if "gemeente" in values and not access.may_create_contract(request.user, values["gemeente"]):
            raise PermissionDenied(_("U mag geen contracten registreren voor deze gemeente."))
        contract = services.update_contract(contract=contract, user=request.user, **values)
        return self._respond(contract)
