from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samepage.schools.roles import roles_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu for the signed-in person's role. Links only; pages check permissions."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "roles": None}
    roles = roles_for(user)
    # Every page renders the menu: reverse each link once (the home link used to be
    # reversed again for every item).
    home = reverse("home:home")
    items: list[tuple[str, Any]] = [(home, _("Home"))]
    if roles.is_staff_member:
        items.append((reverse("home:student_list"), _("Students")))
        items.append((reverse("plans:list"), _("Plans")))
        items.append((reverse("home:people"), _("People and invitations")))
    elif roles.is_guardian:
        items.append((reverse("home:student_list"), _("My children")))
        items.append((reverse("plans:list"), _("Plans")))
    elif roles.is_advocate:
        items.append((reverse("teams:shared_with_me"), _("Families")))
    items.append((reverse("accounts:settings"), _("Settings")))
    current = request.path
    return {
        "roles": roles,
        "nav_items": [
            {
                "url": url,
                "label": label,
                "current": current == url
                or (url != "/" and current.startswith(url) and url != home),
            }
            for url, label in items
        ],
    }
