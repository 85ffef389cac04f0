from django.db import migrations, models

import samepage.accounts.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_fill_api_token_expiry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                default=samepage.accounts.models.new_token_expiry, verbose_name="expires"
            ),
        ),
    ]
