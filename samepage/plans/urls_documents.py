"""Reading a plan: comparisons, the plan at a glance, acknowledgements and PDFs."""

from django.urls import URLPattern, path

from samepage.plans.views import documents

urlpatterns: list[URLPattern] = [
    path("<int:plan_id>/compare/", documents.compare, name="compare"),
    path("<int:plan_id>/since-last-year/", documents.since_last_year, name="since_last_year"),
    path("<int:plan_id>/versions/<int:number>/pdf/", documents.version_pdf, name="version_pdf"),
    path("<int:plan_id>/glance/", documents.glance, name="glance"),
    path("<int:plan_id>/glance/pdf/", documents.glance_pdf, name="glance_pdf"),
    path("<int:plan_id>/glance/acknowledge/", documents.acknowledge, name="acknowledge"),
    path("<int:plan_id>/acknowledgements/", documents.acknowledgements, name="acknowledgements"),
]
