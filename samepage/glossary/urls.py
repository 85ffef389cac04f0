from django.urls import path

from samepage.glossary import views

app_name = "glossary"
urlpatterns = [
    path("glossary/", views.index, name="index"),
    path("rights/", views.rights, name="rights"),
]
