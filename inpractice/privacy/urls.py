"""URLs of the privacy and audit app (mounted at /staff/privacy/, programme admins only)."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("calls/<slug:slug>/retention/", views.retention, name="retention"),
    path("people/", views.subject, name="subject"),
    path("people/export/", views.export, name="export"),
    path("people/erase/", views.erase_person, name="erase"),
    path("audit/", views.audit_log, name="audit"),
]
