from django.urls import path

from samepage.problems import views

app_name = "problems"
SITUATION = "<int:student_id>/situations/<int:situation_id>/"
TRY = SITUATION + "tries/<int:try_id>/"
urlpatterns = [
    path("<int:student_id>/situations/", views.situation_list, name="list"),
    path("<int:student_id>/situations/new/", views.raise_situation, name="raise"),
    path(SITUATION, views.detail, name="detail"),
    path(SITUATION + "edit/", views.edit, name="edit"),
    path(SITUATION + "close/", views.close, name="close"),
    path(SITUATION + "reopen/", views.reopen, name="reopen"),
    path(SITUATION + "ideas/", views.add_idea, name="add_idea"),
    path(SITUATION + "tries/", views.agree_try, name="agree_try"),
    path(TRY + "outcome/", views.record_outcome, name="record_outcome"),
    path(TRY + "to-profile/", views.to_profile, name="to_profile"),
]
