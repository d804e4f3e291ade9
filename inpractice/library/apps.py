from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "inpractice.library"
    label = "library"
    verbose_name = "Library of practice"
