"""Give every existing student the search form of their names (see schools/search.py).

Data only; imports no app code, so the normalising function is copied here as it was
when this migration was written.
"""

import re
import unicodedata

from django.db import migrations

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
_DROPPED = re.compile(r"['’`´.]")


def _search_key(text):
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = _DROPPED.sub("", bare.casefold())
    return " ".join(_SEPARATORS.split(bare)).strip()


def fill(apps, schema_editor):
    Student = apps.get_model("schools", "Student")
    batch = []
    for student in Student.objects.only(
        "pk", "legal_first_name", "legal_last_name", "preferred_name", "district_student_id"
    ).iterator(chunk_size=2000):
        parts = [
            student.legal_first_name,
            student.preferred_name,
            student.legal_last_name,
            student.district_student_id,
        ]
        student.search_name = " " + _search_key(" ".join(p for p in parts if p))
        batch.append(student)
        if len(batch) >= 2000:
            Student.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Student.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [("schools", "0004_student_search_name")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
