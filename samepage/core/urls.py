from django.urls import path

from samepage.core import views

app_name = "core"
urlpatterns = [
    path("", views.index, name="index"),
    path("home/", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
]
