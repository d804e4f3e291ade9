"""Staff sign-in and sign-out (single sign-on URLs are added in inpractice/urls.py when set up)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import StaffLoginView

app_name = "accounts"
urlpatterns = [
    path("sign-in/", StaffLoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
]
