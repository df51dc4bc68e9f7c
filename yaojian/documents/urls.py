"""URLs of the documents app."""

from django.urls import URLPattern, URLResolver, path

from yaojian.documents import views

app_name = "documents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:public_id>/download/", views.document_download, name="download"),
]
