from .views import (
    ArbeidsmarktregioViewSet,
    DienstverbandViewSet,
    DoelViewSet,
    OverzichtViewSet,
    TellingViewSet,
    UwvTrendrapportageViewSet,
    WerkgeverViewSet,
)


def register(router):
    """Register this app's API v1 resources on the shared router."""
    router.register("werkgevers", WerkgeverViewSet, basename="werkgever")
    router.register("banenafspraakdoelen", DoelViewSet, basename="banenafspraakdoel")
    router.register("banenafspraakdienstverbanden", DienstverbandViewSet, basename="banenafspraakdienstverband")
    router.register("banenafspraaktellingen", TellingViewSet, basename="banenafspraaktelling")
    router.register("banenafspraakoverzichten", OverzichtViewSet, basename="banenafspraakoverzicht")
    router.register("arbeidsmarktregios", ArbeidsmarktregioViewSet, basename="arbeidsmarktregio")
    router.register("uwvtrendrapportages", UwvTrendrapportageViewSet, basename="uwvtrendrapportage")
