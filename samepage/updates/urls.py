from django.urls import URLPattern

app_name = "updates"
urlpatterns: list[URLPattern] = []
