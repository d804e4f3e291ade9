"""URLs of the insights report app."""

app_name = "reports"
urlpatterns: list = []
