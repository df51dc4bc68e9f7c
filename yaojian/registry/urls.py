"""URLs of the registry app."""

app_name = "registry"

urlpatterns: list = []
