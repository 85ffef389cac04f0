"""Routes for editing a plan's draft (namespace "plans", set in plans/urls.py)."""

from django.urls import URLPattern, path

from samepage.plans.views import editing as views

D = "<int:plan_id>/draft/"
GOALS = {"kind": "goals"}
SERVICES = {"kind": "services"}
ACCOMMODATIONS = {"kind": "accommodations"}

urlpatterns: list[URLPattern] = [
    path(D, views.draft, name="draft"),
    path(D + "dates/", views.edit_dates, name="edit_dates"),
    path(D + "sections/<slug:key>/", views.edit_section, name="edit_section"),
    path(D + "goals/new/", views.item_new, GOALS, name="goal_new"),
    path(D + "goals/<int:goal_id>/", views.item_edit, GOALS, name="goal_edit"),
    path(D + "goals/<int:goal_id>/remove/", views.item_remove, GOALS, name="goal_remove"),
    path(D + "services/new/", views.item_new, SERVICES, name="service_new"),
    path(D + "services/<int:service_id>/", views.item_edit, SERVICES, name="service_edit"),
    path(
        D + "services/<int:service_id>/remove/", views.item_remove, SERVICES, name="service_remove"
    ),
    path(D + "accommodations/new/", views.item_new, ACCOMMODATIONS, name="accommodation_new"),
    path(
        D + "accommodations/<int:accommodation_id>/",
        views.item_edit,
        ACCOMMODATIONS,
        name="accommodation_edit",
    ),
    path(
        D + "accommodations/<int:accommodation_id>/remove/",
        views.item_remove,
        ACCOMMODATIONS,
        name="accommodation_remove",
    ),
]
