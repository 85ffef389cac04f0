"""Every message the API sends to people, marked for translation.

Lazy, so each response is rendered in the language active for that request: the signed-in
person's, the token owner's, or the browser's for requests nobody has signed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SIGN_IN_REQUIRED = _(
    "Sign in to SamePage, or send a personal API token in the Authorization header "
    "as “Bearer sp_…”."
)
MALFORMED_AUTHORIZATION = _(
    "The Authorization header must be the word “Bearer”, one space, and your API token "
    "(it starts with “sp_”)."
)
INVALID_TOKEN = _("This API token is not valid. Create a new one on your settings page.")
CSRF_FAILED = _(
    "Your browser's security check for this change failed. Reload the page and try again."
)
NOT_FOUND = _("We could not find that. It may not exist, or you may not have access to it.")
FORBIDDEN = _("You can look at this, but your role does not allow this change.")
INVALID_INPUT = _("Some of what you sent needs fixing; “errors” says what, field by field.")
CHOOSE_DISTRICT_STAFF = _("Choose a staff member of this student's district.")
UNTIL_BEFORE_SINCE = _("The “until” date cannot be before the “since” date.")
CHOOSE_PLAN_TYPE = _("Choose the kind of plan: “iep” or “504”.")
ENTER_MEETING_DATE = _("Enter the date the team met.")
FINALIZE_BLOCKED = _(
    "This plan cannot be finalized yet. Fix what “errors” lists, and give a reason for "
    "each warning you go ahead with (“overrides”: {code: reason})."
)
ONLY_TEACHERS_ACKNOWLEDGE = _(
    "Only general-education teachers on the team confirm they read the plan."
)
