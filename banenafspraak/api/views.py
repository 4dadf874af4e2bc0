"""API v1 views of the banenafspraak. Querysets come from ``banenafspraak.access``; writes go
through ``banenafspraak.services``; figures come from ``banenafspraak.selectors``."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from banenafspraak import access, imports, selectors, services
from banenafspraak.models import Arbeidsmarktregio, UwvTrendrapportage
from sroi_portal import processing_log

from .filters import DienstverbandFilter, DoelFilter, TellingFilter, WerkgeverFilter
from .serializers import (
    ArbeidsmarktregioSerializer,
    BanenafspraakSerializer,
    DienstverbandSerializer,
    DienstverbandWijzigingSerializer,
    DoelSerializer,
    DoelWijzigingSerializer,
    OverzichtSerializer,
    TellingSerializer,
    TellingWijzigingSerializer,
    UwvTrendrapportageSerializer,
    WerkgeverSerializer,
    WerkgeverWijzigingSerializer,
)

NULMETING = date(2013, 1, 1)
PERSON_FIELDS = {"referentie", "initialen", "geboortejaar"}


class StaffOnly(permissions.BasePermission):
    """Employers, units, targets and measured totals: the administrator, inkoop and SR-team."""

    message = _("Alleen medewerkers van de gemeente (inkoop, SR-team) en beheerders zien werkgevers.")

    def has_permission(self, request, view):
        return access.may_use_staff_pages(request.user)


class PersonRecordsOnly(permissions.BasePermission):
    """Person-level records: the administrator and the SR-team."""

    message = _("Alleen het SR-team en beheerders zien dienstverbanden van personen.")

    def has_permission(self, request, view):
        return access.may_use_person_records(request.user)


class MunicipalOnly(permissions.BasePermission):
    message = _("Deze cijfers zijn voor medewerkers en raadsleden van een gemeente.")

    def has_permission(self, request, view):
        return access.may_see_regional(request.user)


def _service_errors(error: DjangoValidationError, *, nest_person: bool = False) -> ValidationError:
    """A service's ValidationError as a DRF one; person fields are named ``kandidaat.<field>``."""
    detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    if nest_person:
        detail = {(f"kandidaat.{key}" if key in PERSON_FIELDS else key): value for key, value in detail.items()}
    return ValidationError(detail)


def _year(request) -> int:
    value = request.query_params.get("jaar")
    if value is None or not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise ValidationError({"jaar": [_("Geef het jaar op als ?jaar=JJJJ (2000-2100).")]})
    return int(value)


JAAR_PARAMETER = OpenApiParameter("jaar", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True,
                                  description="Het kalenderjaar, bijv. 2020.")


class WerkgeverViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Employers (a municipality's organisation, a ministry) and their units, with their banenafspraak figures."""

    serializer_class = WerkgeverSerializer
    filterset_class = WerkgeverFilter
    permission_classes = [permissions.IsAuthenticated, StaffOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            access.werkgevers_for(self.request.user)
            .select_related("gemeente")
            .prefetch_related("onderdelen")
            .order_by("id")
        )

    def _respond(self, werkgever, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=werkgever.pk)
        return Response(WerkgeverSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=WerkgeverSerializer, responses={201: WerkgeverSerializer})
    def create(self, request, *args, **kwargs):
        serializer = WerkgeverSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bovenliggende = None
        if data.get("bovenliggende_id") is not None:
            bovenliggende = access.werkgevers_for(request.user).filter(pk=data["bovenliggende_id"]).first()
            if bovenliggende is None or not access.may_manage_werkgever(request.user, bovenliggende):
                raise PermissionDenied(_("U mag geen onderdelen toevoegen aan deze werkgever."))
        elif not access.may_create_werkgever(request.user, data.get("gemeente")):
            raise PermissionDenied(_("U mag geen werkgever registreren voor deze gemeente."))
        try:
            werkgever = services.create_werkgever(
                naam=data["naam"], gemeente=data.get("gemeente"), bovenliggende=bovenliggende, user=request.user
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return self._respond(werkgever, status.HTTP_201_CREATED)

    @extend_schema(request=WerkgeverWijzigingSerializer, responses={200: WerkgeverSerializer})
    def partial_update(self, request, *args, **kwargs):
        werkgever = self.get_object()
        if not access.may_manage_werkgever(request.user, werkgever):
            raise PermissionDenied(_("U mag deze werkgever niet wijzigen."))
        serializer = WerkgeverWijzigingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            werkgever = services.rename_werkgever(werkgever=werkgever, naam=serializer.validated_data["naam"])
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return self._respond(werkgever)

    @extend_schema(parameters=[JAAR_PARAMETER], responses={200: BanenafspraakSerializer})
    @action(detail=True, methods=["get"], url_path="banenafspraak")
    def banenafspraak(self, request, pk=None):
        """Target, jobs (in employment and hired in), realisation %, shortfall and the jobs through
        social return of this unit **including its sub-units**, for ``jaar``, with the quarters."""
        werkgever = self.get_object()
        jaar = _year(request)
        tree = selectors.tree_of(werkgever)
        figures = tree.figures(werkgever.pk, jaar)
        quarters = [tree.figures(werkgever.pk, jaar, kwartaal) for kwartaal in (1, 2, 3, 4)]
        payload = {
            **{name: getattr(figures, name) for name in (
                "jaar", "doel", "banen_dienstverband", "banen_inleen", "banen_totaal", "percentage", "tekort",
                "banen_via_social_return", "heffing", "bron")},
            "kwartalen": quarters,
        }
        return Response(BanenafspraakSerializer(payload).data)


class _OwnedByWerkgever(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shared behaviour: the ``werkgever`` of a new object must be one the user may manage."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [permissions.IsAuthenticated, StaffOnly]
    nest_person = False

    def _werkgever(self, werkgever_id):
        """The unit to write to; unknown and out-of-scope units are refused alike (403), so the
        answer tells nothing about whether another municipality's unit exists."""
        werkgever = access.werkgevers_for(self.request.user).filter(pk=werkgever_id).first()
        if werkgever is None:
            raise PermissionDenied(_("U mag geen cijfers vastleggen voor deze werkgever."))
        self.check_write(werkgever)
        return werkgever

    def check_write(self, werkgever):
        if not access.may_manage_werkgever(self.request.user, werkgever):
            raise PermissionDenied(_("U mag de cijfers van deze werkgever niet wijzigen."))

    def _call(self, function, **kwargs):
        try:
            return function(**kwargs)
        except DjangoValidationError as error:
            raise _service_errors(error, nest_person=self.nest_person) from error

    def _respond(self, obj, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer_class()(fresh, context=self.get_serializer_context()).data,
                        status=status_code)


class DoelViewSet(_OwnedByWerkgever):
    """Targets in jobs per unit and year; a unit's target covers its sub-units."""

    serializer_class = DoelSerializer
    filterset_class = DoelFilter

    def get_queryset(self):
        return access.doelen_for(self.request.user).order_by("werkgever_id", "jaar")

    @extend_schema(request=DoelSerializer, responses={201: DoelSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DoelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        werkgever = self._werkgever(data.pop("werkgever_id"))
        doel = self._call(services.create_doel, werkgever=werkgever, **data)
        return self._respond(doel, status.HTTP_201_CREATED)

    @extend_schema(request=DoelWijzigingSerializer, responses={200: DoelSerializer})
    def partial_update(self, request, *args, **kwargs):
        doel = self.get_object()
        self.check_write(doel.werkgever)
        serializer = DoelWijzigingSerializer(doel, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        doel = self._call(services.update_doel, doel=doel, **serializer.validated_data)
        return self._respond(doel)

    def destroy(self, request, *args, **kwargs):
        doel = self.get_object()
        self.check_write(doel.werkgever)
        services.delete_doel(doel=doel)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TellingViewSet(_OwnedByWerkgever):
    """Measured totals (payroll, UWV, a publication) per unit and year or quarter.

    A measured total covers the unit with its sub-units and replaces, for that unit and period,
    the jobs counted from individual records.
    """

    serializer_class = TellingSerializer
    filterset_class = TellingFilter

    def get_queryset(self):
        return access.tellingen_for(self.request.user).order_by("werkgever_id", "jaar", "kwartaal")

    @extend_schema(request=TellingSerializer, responses={201: TellingSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TellingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        werkgever = self._werkgever(data.pop("werkgever_id"))
        telling = self._call(services.record_telling, werkgever=werkgever, user=request.user, **data)
        return self._respond(telling, status.HTTP_201_CREATED)

    @extend_schema(request=TellingWijzigingSerializer, responses={200: TellingSerializer})
    def partial_update(self, request, *args, **kwargs):
        telling = self.get_object()
        self.check_write(telling.werkgever)
        serializer = TellingWijzigingSerializer(telling, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        telling = self._call(services.update_telling, telling=telling, **serializer.validated_data)
        return self._respond(telling)

    def destroy(self, request, *args, **kwargs):
        telling = self.get_object()
        self.check_write(telling.werkgever)
        services.delete_telling(telling=telling)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DienstverbandViewSet(_OwnedByWerkgever):
    """Jobs of people from the doelgroepregister (pseudonymous). Special-category data: the
    functional administrator and the SR-team of the municipality only."""

    serializer_class = DienstverbandSerializer
    filterset_class = DienstverbandFilter
    permission_classes = [permissions.IsAuthenticated, PersonRecordsOnly]
    nest_person = True

    def get_queryset(self):
        return access.dienstverbanden_for(self.request.user).order_by("werkgever_id", "startdatum", "id")

    # Every person record in a response is written to the processing log (one insert per response).
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset if page is None else page)
        data = self.get_serializer(rows, many=True).data
        processing_log.log_views(request, "api-dienstverbanden", rows)
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        dienstverband = self.get_object()
        data = self.get_serializer(dienstverband).data
        processing_log.log_views(request, "api-dienstverbanden", [dienstverband])
        return Response(data)

    def _respond(self, obj, status_code=status.HTTP_200_OK):
        response = super()._respond(obj, status_code)
        processing_log.log_views(self.request, "api-dienstverbanden", [obj])
        return response

    def check_write(self, werkgever):
        if not access.may_see_person_records(self.request.user, werkgever):
            raise PermissionDenied(_("Alleen het SR-team van de gemeente registreert dienstverbanden."))

    @staticmethod
    def _values(data):
        values = dict(data)
        values.pop("werkgever_id", None)
        return values

    @extend_schema(request=DienstverbandSerializer, responses={201: DienstverbandSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DienstverbandSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        werkgever = self._werkgever(serializer.validated_data["werkgever_id"])
        dv = self._call(services.record_dienstverband, werkgever=werkgever, user=request.user,
                        **self._values(serializer.validated_data))
        return self._respond(dv, status.HTTP_201_CREATED)

    @extend_schema(request=DienstverbandWijzigingSerializer, responses={200: DienstverbandSerializer})
    def partial_update(self, request, *args, **kwargs):
        dv = self.get_object()
        self.check_write(dv.werkgever)
        serializer = DienstverbandWijzigingSerializer(dv, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        dv = self._call(services.update_dienstverband, dienstverband=dv, **self._values(serializer.validated_data))
        return self._respond(dv)

    def destroy(self, request, *args, **kwargs):
        dv = self.get_object()
        self.check_write(dv.werkgever)
        services.delete_dienstverband(dienstverband=dv)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OverzichtViewSet(viewsets.GenericViewSet):
    """The council view per municipality: aggregates only (no units, no people)."""

    serializer_class = OverzichtSerializer
    permission_classes = [permissions.IsAuthenticated, MunicipalOnly]
    lookup_field = "code"
    lookup_url_kwarg = "gemeente"

    def get_queryset(self):
        return access.council_gemeenten_for(self.request.user).order_by("code")

    @extend_schema(parameters=[JAAR_PARAMETER], responses={200: OverzichtSerializer})
    def retrieve(self, request, gemeente=None):
        """``/banenafspraakoverzichten/{gemeentecode}?jaar=JJJJ``"""
        gemeente = self.get_object()
        figures = selectors.council_figures(gemeente=gemeente, jaar=_year(request))
        return Response(OverzichtSerializer(figures).data)


class ArbeidsmarktregioViewSet(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Labour-market regions with their indicative targets and the latest UWV trend (rank by progress)."""

    serializer_class = ArbeidsmarktregioSerializer
    permission_classes = [permissions.IsAuthenticated, MunicipalOnly]
    pagination_class = None

    def get_queryset(self):
        return Arbeidsmarktregio.objects.prefetch_related("gemeenten").order_by("naam")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["overview"] = selectors.regional_overview()
        return context


class UwvTrendrapportageViewSet(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Imported UWV trend tables; POST a CSV file (multipart) to import one, all or nothing."""

    serializer_class = UwvTrendrapportageSerializer
    permission_classes = [permissions.IsAuthenticated, MunicipalOnly]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return UwvTrendrapportage.objects.order_by("-geimporteerd_op", "-id")

    @extend_schema(request={"multipart/form-data": UwvTrendrapportageSerializer},
                   responses={201: UwvTrendrapportageSerializer})
    def create(self, request, *args, **kwargs):
        if not access.may_import_regional(request.user):
            raise PermissionDenied(_("Alleen een functioneel beheerder importeert regionale cijfers."))
        serializer = UwvTrendrapportageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bestand = data["bestand"]
        try:
            rapportage, _checks = services.import_uwv(
                content=bestand.read(), bron=data["bron"],
                nulmeting_peildatum=data.get("nulmeting_peildatum") or NULMETING,
                bestandsnaam=bestand.name, user=request.user,
            )
        except imports.ImportRejected as rejected:
            raise ValidationError({"bestand": [str(problem) for problem in rejected.problems]}) from rejected
        return Response(UwvTrendrapportageSerializer(rapportage).data, status=status.HTTP_201_CREATED)
