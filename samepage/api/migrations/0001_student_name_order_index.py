"""An index in the order the API lists students: last name, first name, id.

``GET /api/v1/students`` pages by keyset in that order (api/pagination.py): with this
index PostgreSQL walks from the cursor and stops after a page, so the district
administrator's first page and page 2,000 cost the same; without it every page sorts
the whole district. Created here, as SQL on the students table, because the API's
order needs it; the model (schools) is left alone. SQLite takes the same statement.
"""

from django.db import migrations

INDEX = "api_student_name_order"


class Migration(migrations.Migration):
    dependencies = [("schools", "0006_student_search_name_trigram_index")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON schools_student "
            "(legal_last_name, legal_first_name, id)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
