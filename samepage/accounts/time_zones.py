"""The time zones a person chooses from: real places, grouped by region.

``zoneinfo`` knows about 600 names, among them legacy aliases ("US/Central",
"America/Buenos_Aires") and offsets ("Etc/GMT+5") that nobody recognises as where they
live. The tz database's ``zone.tab`` lists one canonical Region/City zone per place, by
country; those are what the settings list offers. Any zone ``zoneinfo`` knows is still
accepted, so a value saved before this list existed is kept and shown as it is.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from importlib import resources
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samepage.core.dates import valid_time_zones

REGION_LABELS: dict[str, Promise] = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}

_REGIONS = "|".join(REGION_LABELS)
_PLACE = re.compile(rf"^({_REGIONS})/[A-Z][A-Za-z_\-]+(/[A-Z][A-Za-z_\-]+)?$")


def _zone_tab_text() -> str | None:
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:  # The tzdata package, where the system has no tz database.
        return resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


@cache
def place_time_zones() -> frozenset[str]:
    """Canonical Region/City zones that ``zoneinfo`` can load."""
    known = valid_time_zones()
    text = _zone_tab_text()
    if text is None:
        # No zone.tab anywhere: the name shape still keeps out offsets and US/... aliases.
        return frozenset(name for name in known if _PLACE.match(name))
    names = {
        line.split("\t")[2].strip()
        for line in text.splitlines()
        if line and not line.startswith("#") and len(line.split("\t")) >= 3
    }
    return frozenset(name for name in names if name in known and _PLACE.match(name))


def place_label(name: str) -> str:
    """ "America/Mexico_City" -> "Mexico City"; "America/Indiana/Knox" -> "Knox (Indiana)"."""
    parts = [part.replace("_", " ") for part in name.split("/")[1:]]
    if len(parts) == 2:
        return f"{parts[1]} ({parts[0]})"
    return parts[0]


def time_zone_choices(current: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a <select>: (region label, [(zone, place)...]) per region.

    ``current``, a saved zone that is not a place in the list (an alias or UTC), comes
    first in its own group so saving the form again keeps it.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in place_time_zones():
        groups.setdefault(name.split("/")[0], []).append((name, place_label(name)))
    choices: list[tuple[str, list[tuple[str, str]]]] = []
    if current and current in valid_time_zones() and current not in place_time_zones():
        choices.append((str(_("Your current setting")), [(current, current.replace("_", " "))]))
    for region, label in REGION_LABELS.items():
        if region in groups:
            places = sorted(groups[region], key=lambda choice: choice[1])
            choices.append((str(label), places))
    return choices
