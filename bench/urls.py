"""The portal's URLs plus the floors under /bench/ (used only inside the benchmark process)."""

from django.urls import include, path

from sroi_portal.urls import handler404, handler500, urlpatterns as portal  # noqa: F401

from . import floors

bench = [
    path("leverancier", floors.supplier_overview, name="supplier_overview"),
    path("controle", floors.verification_queue, name="verification_queue"),
    path("contract/<int:pk>", floors.contract_page, name="contract_page"),
    path("rapportage/<int:gemeente>/<int:jaar>", floors.council_dashboard, name="council_dashboard"),
    path("api/contracten", floors.api_contracten, name="api_contracten"),
]

urlpatterns = [*portal, path("bench/", include((bench, "bench")))]
