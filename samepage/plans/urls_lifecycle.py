from django.urls import URLPattern, path

from samepage.plans.views import lifecycle as views

urlpatterns: list[URLPattern] = [
    path("", views.plan_list, name="list"),
    path("new/<int:student_id>/", views.create, name="create"),
    path("<int:plan_id>/", views.detail, name="detail"),
    path("<int:plan_id>/versions/<int:number>/", views.version, name="version"),
    path("<int:plan_id>/share/", views.share, name="share"),
    path("<int:plan_id>/shared/<int:shared_number>/", views.shared, name="shared"),
    path("<int:plan_id>/shared/<int:shared_number>/ask/", views.ask, name="ask"),
    path("<int:plan_id>/questions/<int:question_id>/reply/", views.reply, name="reply"),
    path("<int:plan_id>/questions/<int:question_id>/resolve/", views.resolve, name="resolve"),
    path("<int:plan_id>/meeting/", views.meeting, name="meeting"),
    path("<int:plan_id>/finalize/", views.finalize, name="finalize"),
    path("<int:plan_id>/versions/<int:number>/sign/", views.sign, name="sign"),
    path("<int:plan_id>/amend/", views.amend, name="amend"),
    path("<int:plan_id>/end/", views.end, name="end"),
]
