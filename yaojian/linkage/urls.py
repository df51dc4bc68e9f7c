"""URLs of the linkage app."""

from django.urls import URLPattern, URLResolver, path

from yaojian.linkage import views

app_name = "linkage"

urlpatterns: list[URLPattern | URLResolver] = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<uuid:public_id>/", views.review_detail, name="review_detail"),
    path("reviews/<uuid:public_id>/confirm/", views.review_confirm, name="review_confirm"),
    path("reviews/<uuid:public_id>/reject/", views.review_reject, name="review_reject"),
    path("files/", views.link_files_page, name="link_files"),
]
