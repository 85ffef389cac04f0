"""Plan pages; each sub-domain keeps its own list of routes."""

from samepage.plans.urls_documents import urlpatterns as documents
from samepage.plans.urls_editing import urlpatterns as editing
from samepage.plans.urls_lifecycle import urlpatterns as lifecycle

app_name = "plans"
urlpatterns = lifecycle + editing + documents
