"""Moves ReminderSent (the manual reminder) from ``compliance`` to ``credentials``
without touching the database: same table, same rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from portal.model_moves import content_types_moved


class Migration(migrations.Migration):

    dependencies = [
        ('compliance', '0004_merge_robust'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('credentials', '0005_category_label_us_spelling'),
        ('portal', '0004_merge_0003_access_change_log_0003_robust_inputs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table keeps their compliance_ names):
        # only Django's idea of which app owns the models changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReminderSent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sent_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('item_count', models.PositiveSmallIntegerField(default=0)),
                        ('sent_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('staff', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders_sent', to='portal.staffprofile')),
                    ],
                    options={
                        'db_table': 'compliance_remindersent',
                        'ordering': ['-sent_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_moved(
            'remindersent',
            from_label='compliance',
            to_label='credentials',
        ),
    ]
