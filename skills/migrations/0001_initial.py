"""Moves the skill models from ``compliance`` to ``skills`` without touching the
database: same tables, same rows."""

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

from portal.model_moves import content_types_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('compliance', '0004_merge_robust'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('credentials', '0006_remindersent_moved_from_compliance'),
        ('portal', '0004_merge_0003_access_change_log_0003_robust_inputs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table keeps their compliance_ names):
        # only Django's idea of which app owns the models changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SkillChecklist',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True)),
                        ('description', models.TextField(blank=True)),
                        ('recheck_months', models.PositiveSmallIntegerField(blank=True, help_text='Observe again after this many months; empty means once is enough.', null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('signer_credentials', models.ManyToManyField(blank=True, help_text='Only someone holding a current, verified credential of one of these types may sign it off (e.g. a CPI or Safety-Care instructor certification for physical-intervention skills). Empty: any supervisor.', related_name='+', to='credentials.credentialtype', verbose_name='signer must hold one of')),
                    ],
                    options={
                        'db_table': 'compliance_skillchecklist',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='SkillChecklistItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('text', models.CharField(max_length=300)),
                        ('checklist', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='skills.skillchecklist')),
                    ],
                    options={
                        'db_table': 'compliance_skillchecklistitem',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='SkillRequirement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('due_rule', models.CharField(choices=[('before_first_shift', 'Before the first shift'), ('within_days', 'Within N days of hire'), ('goal', 'A goal (no due date)')], default='within_days', max_length=20, verbose_name='due')),
                        ('due_within_days', models.PositiveSmallIntegerField(blank=True, help_text="Days after the hire date, for “within N days”; empty uses the job role's orientation days.", null=True)),
                        ('active', models.BooleanField(default=True, help_text='Untick to stop requiring it without deleting it.')),
                        ('checklist', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requirements', to='skills.skillchecklist')),
                        ('job_role', models.ForeignKey(blank=True, help_text='Empty: every job role (in the program or site below; with all three empty, everyone in the agency).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.jobrole')),
                        ('program', models.ForeignKey(blank=True, help_text='Only people on a team of this program (empty: any program).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.program')),
                        ('site', models.ForeignKey(blank=True, help_text='Only people on a team at this site (empty: any site).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.site')),
                    ],
                    options={
                        'db_table': 'compliance_skillrequirement',
                        'ordering': ['job_role__name', 'program__name', 'site__name', 'checklist__name'],
                    },
                ),
                migrations.CreateModel(
                    name='SkillSignOff',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('observed_on', models.DateField()),
                        ('signature_name', models.CharField(max_length=200)),
                        ('notes', models.TextField(blank=True)),
                        ('met', models.BooleanField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('checklist', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signoffs', to='skills.skillchecklist')),
                        ('corrects', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='skills.skillsignoff')),
                        ('signed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('staff', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='skill_signoffs', to='portal.staffprofile')),
                    ],
                    options={
                        'db_table': 'compliance_skillsignoff',
                        'ordering': ['-observed_on', '-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='SkillSignOffItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('text', models.CharField(max_length=300)),
                        ('result', models.CharField(choices=[('met', 'Met'), ('needs_practice', 'Needs practice')], max_length=20)),
                        ('sign_off', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='items', to='skills.skillsignoff')),
                    ],
                    options={
                        'db_table': 'compliance_skillsignoffitem',
                        'ordering': ['sign_off', 'position'],
                    },
                ),
                migrations.AddIndex(
                    model_name='skillsignoff',
                    index=models.Index(fields=['staff', 'checklist', 'observed_on'], name='compliance__staff_i_1fe3a3_idx'),
                ),
            ],
            database_operations=[],
        ),
        content_types_moved(
            'skillchecklist',
            'skillchecklistitem',
            'skillrequirement',
            'skillsignoff',
            'skillsignoffitem',
            from_label='compliance',
            to_label='skills',
        ),
    ]
