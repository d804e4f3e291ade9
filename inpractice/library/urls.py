"""URLs of the library of practice app."""

app_name = "library"
urlpatterns: list = []
