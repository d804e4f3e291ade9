from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("", views.school_finder, name="finder"),
    path("search.json", views.school_search_json, name="search_json"),
    path("trusts/search.json", views.trust_search_json, name="trust_search_json"),
]
