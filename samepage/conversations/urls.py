from django.urls import path

from samepage.conversations import views

app_name = "conversations"
THREAD = "<int:student_id>/conversations/<int:thread_id>/"
MESSAGE = THREAD + "messages/<int:message_id>/"
urlpatterns = [
    path("<int:student_id>/conversations/", views.conversation_list, name="list"),
    path("<int:student_id>/conversations/new/", views.start, name="start"),
    path("<int:student_id>/conversations/team/", views.team, name="team"),
    path(THREAD, views.thread_detail, name="thread"),
    path(THREAD + "new-messages/", views.poll, name="poll"),
    path(MESSAGE + "withdraw/", views.withdraw, name="withdraw"),
    path(MESSAGE + "attachment/", views.attachment, name="attachment"),
]
