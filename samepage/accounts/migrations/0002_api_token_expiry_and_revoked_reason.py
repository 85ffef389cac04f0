# Schema only: 0003 fills both fields for existing tokens, 0004 then makes expires_at
# required.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("revoked", "Revoked by its owner"),
                    ("password_changed", "The password changed."),
                    ("password_reset", "The password was reset."),
                ],
                default="",
                max_length=20,
            ),
        ),
    ]
