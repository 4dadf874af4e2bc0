"""API v1 views for bouwblokken and registrations. Querysets come from the access helpers."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from django.db.models import Prefetch
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from bouwblokken import services
from bouwblokken.models import Bewijsstuk, Bouwblok
from bouwblokken.selectors import missing_evidence_by_registration
from sroi_portal import access, processing_log

from .filters import BouwblokFilter, RegistratieFilter
from .serializers import BeoordelingSerializer, BouwblokSerializer, RegistratieSerializer, RegistratieWijzigingSerializer


class BouwblokViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue: every bouwblok of every catalogue version, with its value and valuation method."""

    serializer_class = BouwblokSerializer
    filterset_class = BouwblokFilter
    lookup_field = "pk"

    def get_queryset(self):
        return Bouwblok.objects.select_related("catalogus").order_by("catalogus__regio_id", "-catalogus__geldig_vanaf", "volgorde")


REGISTRATION_INPUT = {
    "startdatum": "startdatum", "einddatum": "einddatum", "uren_per_week": "uren_per_week", "bedrag": "bedrag",
    "dagen": "dagen", "loonkostensubsidie_tot": "loonkostensubsidie_tot", "omschrijving": "omschrijving",
}


class RegistratieViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Registrations of bouwblokken on contracts: register, correct, submit, decide."""

    serializer_class = RegistratieSerializer
    filterset_class = RegistratieFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = access.registraties_for(self.request.user)
        if access.is_beheerder(self.request.user):
            # Special-category registrations (and their candidate) are for the supplier and the
            # SR-team of the contract only (access_pages.may_see_special_category): not listed, 404.
            qs = qs.exclude(bouwblok__gevoelig=True)
        return (
            qs.select_related("contract", "bouwblok", "kandidaat")
            .prefetch_related("jaren", "signalen",
                              Prefetch("bewijsstukken", queryset=Bewijsstuk.objects.select_related("soort")))
            .order_by("id")
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset if page is None else page)
        data = self.get_serializer(rows, many=True, context=self._evidence_context(rows)).data
        processing_log.log_views(request, "api-registraties", rows)
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        registratie = self.get_object()
        data = self.get_serializer(registratie, context=self._evidence_context([registratie])).data
        processing_log.log_views(request, "api-registraties", [registratie])
        return Response(data)

    def _respond(self, registratie, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=registratie.pk)
        data = RegistratieSerializer(fresh, context=self._evidence_context([fresh])).data
        processing_log.log_views(self.request, "api-registraties", [fresh])
        return Response(data, status=status_code)

    def _evidence_context(self, rows):
        """The serializer context with the missing evidence of all rows (two queries, not two per row)."""
        return {**self.get_serializer_context(), "ontbrekend_bewijs": missing_evidence_by_registration(rows)}

    @staticmethod
    def _values(data):
        return {key: data[key] for key in REGISTRATION_INPUT if key in data}

    @extend_schema(request=RegistratieSerializer, responses={201: RegistratieSerializer})
    def create(self, request, *args, **kwargs):
        serializer = RegistratieSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contract = access.contracts_for(request.user).filter(pk=data["contract_id"]).first()
        if contract is None:
            # Outside the user's scope is "not found", like every other object (no enumeration).
            raise NotFound(_("Onbekend contract: het bestaat niet of u heeft er geen toegang toe."))
        if not access.may_register(request.user, contract):
            raise PermissionDenied(_("Alleen de leverancier van het contract registreert de social return."))
        if access.is_beheerder(request.user) and Bouwblok.objects.filter(
            catalogus=contract.catalogus_id, code=data["bouwblok"]["code"], gevoelig=True
        ).exists():
            raise PermissionDenied(_(
                "Een registratie met een bijzonder persoonsgegeven (gezondheid) legt alleen de leverancier vast."
            ))
        hoofdregistratie = None
        if data.get("hoofdregistratie_id"):
            hoofdregistratie = access.registraties_for(request.user).filter(pk=data["hoofdregistratie_id"]).first()
            if hoofdregistratie is None:
                raise ValidationError({"hoofdregistratie": [_("Onbekende registratie.")]})
        registratie = services.register(
            contract=contract,
            bouwblok_code=data["bouwblok"]["code"],
            kandidaat=data.get("kandidaat"),
            hoofdregistratie=hoofdregistratie,
            user=request.user,
            **self._values(data),
        )
        return self._respond(registratie, status.HTTP_201_CREATED)

    @extend_schema(request=RegistratieWijzigingSerializer, responses={200: RegistratieSerializer})
    def partial_update(self, request, *args, **kwargs):
        registratie = self.get_object()
        if not access.registraties_for(request.user, write=True).filter(pk=registratie.pk).exists():
            raise PermissionDenied(_("Alleen de leverancier van het contract wijzigt een registratie."))
        serializer = RegistratieWijzigingSerializer(registratie, data=request.data, partial=True,
                                                    context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registratie = services.update_registration(
            registratie=registratie, user=request.user, kandidaat=data.get("kandidaat"), versie=data.get("versie"),
            **self._values(data),
        )
        return self._respond(registratie)

    @extend_schema(request=None, responses={200: RegistratieSerializer})
    @action(detail=True, methods=["post"], url_path="indiening")
    def indiening(self, request, pk=None):
        """Submit a concept registration to the SR-team."""
        registratie = self.get_object()
        if not access.registraties_for(request.user, write=True).filter(pk=registratie.pk).exists():
            raise PermissionDenied(_("Alleen de leverancier van het contract dient een registratie in."))
        return self._respond(services.submit(registratie=registratie, user=request.user))

    @extend_schema(request=BeoordelingSerializer, responses={200: RegistratieSerializer})
    @action(detail=True, methods=["post"], url_path="beoordeling")
    def beoordeling(self, request, pk=None):
        """Approve, reject or ask for more information on a submitted registration (SR-team).

        A rejection needs a reason, a request for more information the question (the registration goes
        back to concept). An approval while required evidence is missing (``ontbrekendBewijs``) needs
        ``redenZonderBewijs`` (else 400). Whoever entered or submitted the registration may not decide
        it (403); a settled contract takes no decisions (409)."""
        registratie = self.get_object()
        if not access.may_decide(request.user, registratie):
            raise PermissionDenied(_("Alleen het SR-team van de gemeente beoordeelt registraties."))
        serializer = BeoordelingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            registratie = services.decide(
                registratie=registratie,
                besluit=serializer.validated_data["besluit"],
                toelichting=serializer.validated_data.get("toelichting", ""),
                reden_zonder_bewijs=serializer.validated_data.get("reden_zonder_bewijs", ""),
                user=request.user,
            )
        except services.FourEyesViolation as error:
            raise PermissionDenied(error.message) from error
        return self._respond(registratie)
