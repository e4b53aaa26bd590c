from django.urls import path

from mutualwatch.analysis import views

urlpatterns = [
    path("", views.fates_page, name="fates"),
    path("spells.csv", views.spells_download, name="fates-spells-csv"),
    path("fates.json", views.document_download, name="fates-json"),
    path("charts/<slug:name>.vl.json", views.chart_spec, name="fates-chart-spec"),
    path("charts/<slug:name>.svg", views.chart_svg, name="fates-chart-svg"),
]
