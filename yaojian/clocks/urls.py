"""URLs of the clocks app (mounted at /clocks/)."""

from django.urls import path, register_converter

import yaojian.clocks.views as views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "clocks"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("years/new/", views.year_create, name="year_create"),
    path("import/", views.year_import, name="year_import"),
    path("calculator/", views.calculator, name="calculator"),
    path("scheduler/", views.scheduler_status, name="scheduler"),
    path("<int:year>/", views.year_detail, name="year_detail"),
    path("<int:year>/edit/", views.year_update, name="year_update"),
    path("<int:year>/days/", views.day_create, name="day_create"),
    path("days/<isodate:date>/delete/", views.day_delete, name="day_delete"),
]
