from django.urls import path

from samepage.api.api import api

urlpatterns = [path("", api.urls)]
