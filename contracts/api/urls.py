from .views import ContractViewSet, GemeenteViewSet, LeverancierViewSet


def register(router):
    router.register("gemeenten", GemeenteViewSet, basename="gemeente")
    router.register("leveranciers", LeverancierViewSet, basename="leverancier")
    router.register("contracten", ContractViewSet, basename="contract")
