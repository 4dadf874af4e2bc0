from .views import RaadsrapportageViewSet


def register(router):
    """Register this app's API v1 resources on the shared router."""
    router.register(r"raadsrapportages/(?P<gemeentecode>GM[0-9]{4})", RaadsrapportageViewSet,
                    basename="raadsrapportage")
