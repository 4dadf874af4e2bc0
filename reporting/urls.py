"""Pages of the reporting app (server-rendered), mounted at /rapportage/. Every view goes through
sroi_portal.access; the open-data files are public on purpose (stored, numbered versions of
aggregates with small counts suppressed; see docs/reporting.md, "Open data")."""

from django.urls import path, register_converter

from . import opendata_views, views


class GemeentecodeConverter:
    regex = "GM[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class JaarConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(GemeentecodeConverter, "rapportage_gemeente")
register_converter(JaarConverter, "rapportage_jaar")

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("<rapportage_gemeente:gemeentecode>/<rapportage_jaar:jaar>/", views.dashboard, name="dashboard"),
    path("<rapportage_gemeente:gemeentecode>/<rapportage_jaar:jaar>/raadsrapportage", views.rapport_aanvragen, name="rapport_aanvragen"),
    path("raadsrapportages/<uuid:pk>/", views.rapport, name="rapport"),
    path("raadsrapportages/<uuid:pk>/download", views.rapport_download, name="rapport_download"),
    path("export/", views.export, name="export"),
    path("export/contracten.csv", views.export_csv, name="export_csv"),
    path("export/contracten.xlsx", views.export_xlsx, name="export_xlsx"),
    # Public open data (reporting.opendata_views): the .csv/.json paths are a contract with outside
    # clients (they serve the latest published version); each version has its own fixed files.
    path("open-data/", opendata_views.index, name="open_data"),
    path("open-data/<rapportage_gemeente:gemeentecode>/<rapportage_jaar:jaar>.csv", opendata_views.latest_csv, name="open_data_csv"),
    path("open-data/<rapportage_gemeente:gemeentecode>/<rapportage_jaar:jaar>.json", opendata_views.latest_json, name="open_data_json"),
    path("open-data/<rapportage_gemeente:gemeentecode>/<rapportage_jaar:jaar>/", opendata_views.versions, name="open_data_versies"),
    path("open-data/<rapportage_gemeente:gemeentecode>/<rapportage_jaar:jaar>/publiceren", opendata_views.publish, name="open_data_publiceren"),
    path("open-data/<rapportage_gemeente:gemeentecode>/<rapportage_jaar:jaar>/versie-<int:versie>.csv", opendata_views.version_csv, name="open_data_versie_csv"),
    path("open-data/<rapportage_gemeente:gemeentecode>/<rapportage_jaar:jaar>/versie-<int:versie>.json", opendata_views.version_json, name="open_data_versie_json"),
    path("verhalen/", views.verhalen, name="verhalen"),
    path("verhalen/nieuw/", views.verhaal_nieuw, name="verhaal_nieuw"),
    path("verhalen/<int:pk>/", views.verhaal, name="verhaal"),
    path("vervolg/", views.vervolg_lijst, name="vervolg_lijst"),
    path("vervolg/<int:registratie_id>/", views.vervolg, name="vervolg"),
    path("teambudget/", views.teambudget, name="teambudget"),
]
