from .views import BouwblokViewSet, RegistratieViewSet


def register(router):
    router.register("bouwblokken", BouwblokViewSet, basename="bouwblok")
    router.register("registraties", RegistratieViewSet, basename="registratie")
