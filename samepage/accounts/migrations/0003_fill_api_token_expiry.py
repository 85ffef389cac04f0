# Data only: a token made before tokens expired lasts SAMEPAGE_API_TOKEN_DAYS from when
# it was made (so one older than that stops working once this runs); one already revoked
# was revoked by its owner.

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import F

DEFAULT_DAYS = 90


def fill_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = getattr(settings, "SAMEPAGE_API_TOKEN_DAYS", DEFAULT_DAYS)
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created_at") + timedelta(days=days)
    )
    # Before reasons were kept, only the token's owner could revoke it.
    ApiToken.objects.filter(revoked_at__isnull=False, revoked_reason="").update(
        revoked_reason="revoked"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_token_expiry_and_revoked_reason"),
    ]

    operations = [
        migrations.RunPython(fill_expiry, migrations.RunPython.noop),
    ]
