"""The skill models moved to ``skills`` and ReminderSent to ``credentials``: they
leave compliance's migration state only; their tables and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('compliance', '0004_merge_robust'),
        ('credentials', '0006_remindersent_moved_from_compliance'),
        ('skills', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ReminderSent'),
                migrations.DeleteModel(name='SkillSignOffItem'),
                migrations.DeleteModel(name='SkillSignOff'),
                migrations.DeleteModel(name='SkillRequirement'),
                migrations.DeleteModel(name='SkillChecklistItem'),
                migrations.DeleteModel(name='SkillChecklist'),
            ],
            database_operations=[],
        ),
    ]
