from django.urls import URLPattern

app_name = "concerns"
urlpatterns: list[URLPattern] = []
