from django.urls import path

from samepage.updates import views

app_name = "updates"
urlpatterns = [
    path("<int:student_id>/timeline/", views.timeline_view, name="timeline"),
    path("<int:student_id>/updates/new/", views.post_update, name="post_update"),
    path(
        "<int:student_id>/updates/<int:update_id>/withdraw/",
        views.withdraw_update,
        name="withdraw_update",
    ),
    path("<int:student_id>/home-notes/new/", views.write_note, name="write_note"),
    path(
        "<int:student_id>/home-notes/<int:note_id>/withdraw/",
        views.withdraw_note,
        name="withdraw_note",
    ),
    path("<int:student_id>/home-notes/<int:note_id>/file/", views.note_file, name="note_file"),
]
