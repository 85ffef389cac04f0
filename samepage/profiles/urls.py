"""Profile and student voice pages, included at /students/."""

from django.urls import URLPattern, path

from samepage.profiles import views

app_name = "profiles"

P = "<int:student_id>/profile/"
E = P + "entries/<int:entry_id>/"
V = "<int:student_id>/voice/"

urlpatterns: list[URLPattern] = [
    path(P, views.profile, name="profile"),
    path(P + "add/", views.entry_add, name="entry_add"),
    path(E + "edit/", views.entry_edit, name="entry_edit"),
    path(E + "archive/", views.entry_archive, name="entry_archive"),
    path(E + "history/", views.entry_history, name="entry_history"),
    path(E + "correction/", views.correction_new, name="correction_new"),
    path(
        P + "corrections/<int:request_id>/answer/",
        views.correction_answer,
        name="correction_answer",
    ),
    path(P + "one-page/", views.one_page, name="one_page"),
    path(P + "one-page/pdf/", views.one_page_pdf, name="one_page_pdf"),
    path(V, views.voice, name="voice"),
    path(V + "add/", views.voice_add, name="voice_add"),
    path(V + "<int:voice_id>/edit/", views.voice_edit, name="voice_edit"),
    path(V + "<int:voice_id>/history/", views.voice_history, name="voice_history"),
]
