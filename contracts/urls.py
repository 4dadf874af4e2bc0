"""Pages of the contracts app (server-rendered). Every view goes through sroi_portal.access."""

from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list_view, name="list"),
    path("nieuw", views.contract_create, name="create"),
    path("import", views.contract_import, name="import"),
    path("import/sjabloon.<str:formaat>", views.import_template, name="import_template"),
    path("inbox", views.inbox, name="inbox"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/wijzigingen", views.value_change, name="value_change"),
    path("<int:pk>/intake", views.intake, name="intake"),
    path("<int:pk>/contact", views.log_contact, name="contact"),
    path("<int:pk>/plan", views.upload_plan, name="plan_upload"),
    path("<int:pk>/plan/<int:plan_pk>", views.download_plan, name="plan_download"),
    path("<int:pk>/uitnodigen", views.invite, name="invite"),
    path("<int:pk>/ontheffing", views.exemption, name="exemption"),
    path("<int:pk>/afrekening", views.settlement, name="settlement"),
]
