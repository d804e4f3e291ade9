"""URLs of the privacy and audit app."""

app_name = "privacy"
urlpatterns: list = []
