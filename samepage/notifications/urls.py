from django.urls import path

from samepage.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:notice_id>/open/", views.open_notice, name="open"),
    path("settings/", views.email_settings, name="settings"),
    path("deliveries/", views.failed_deliveries, name="failed_deliveries"),
    path("deliveries/<int:delivery_id>/retry/", views.retry_delivery, name="retry_delivery"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
