from django.urls import URLPattern

app_name = "profiles"
urlpatterns: list[URLPattern] = []
