"""URLs of the analyst workspace app."""

app_name = "workspace"
urlpatterns: list = []
