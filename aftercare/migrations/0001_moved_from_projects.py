"""The service of established firms, moved here from ``projects`` with every row, its history and permissions.

No table is dropped or copied: the state takes the models over (``SeparateDatabaseAndState``),
the tables are renamed ``projects_*`` → ``aftercare_*`` in place (their rows, indexes and
constraints go with them), and the content types are relabelled, so every permission, every
role group that holds one, and every admin log entry stays attached to the same rows.
"""

import django.db.models.deletion
import projects.expressions
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# (model, with a content type): the tables renamed, old name projects_<model>, new aftercare_<model>.
MOVED = [
    ("salonevent", True),
    ("salonevent_enterprises", False),  # the many-to-many table Django made for SalonEvent.enterprises
    ("enterpriseissue", True),
    ("issuestep", True),
    ("cadreassignment", True),
    ("landrenewal", True),
    ("historicalsalonevent", True),
    ("historicalsalonevent_enterprises", True),
    ("historicalenterpriseissue", True),
    ("historicalissuestep", True),
    ("historicalcadreassignment", True),
    ("historicallandrenewal", True),
]


def _rename_tables(schema_editor, old_app: str, new_app: str) -> None:
    for model, _content_type in MOVED:
        schema_editor.alter_db_table(None, f"{old_app}_{model}", f"{new_app}_{model}")


def tables_forwards(apps, schema_editor) -> None:
    _rename_tables(schema_editor, "projects", "aftercare")


def tables_backwards(apps, schema_editor) -> None:
    _rename_tables(schema_editor, "aftercare", "projects")


def _relabel(apps, schema_editor, old_app: str, new_app: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    models = [model for model, content_type in MOVED if content_type]
    # Types made for the new label before this ran (only by hand) would block the relabelling.
    ContentType.objects.using(db).filter(app_label=new_app, model__in=models).delete()
    ContentType.objects.using(db).filter(app_label=old_app, model__in=models).update(app_label=new_app)


def content_types_forwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, "projects", "aftercare")


def content_types_backwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, "aftercare", "projects")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('chains', '0005_per_mu_metrics'),
        ('projects', '0011_move_enterprise_services_to_aftercare'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='EnterpriseIssue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('channel', models.CharField(choices=[('salon', 'evening salon (亲清夜沙龙)'), ('enterprise_code', 'enterprise code app (企业码)'), ('hotline', '96871 hotline'), ('cadre_visit', 'cadre visit (千名干部助千企)'), ('investment_visit', 'investment visit'), ('other', 'other')], max_length=16, verbose_name='channel')),
                        ('category', models.CharField(choices=[('policy', 'policy'), ('land', 'land'), ('finance', 'finance'), ('talent', 'talent'), ('permits', 'permits and approvals'), ('infrastructure', 'infrastructure'), ('other', 'other')], max_length=16, verbose_name='category')),
                        ('description', models.TextField(verbose_name='description')),
                        ('assigned_unit', models.CharField(blank=True, help_text='The unit the problem was handed to (流转交办).', max_length=128, verbose_name='assigned unit')),
                        ('due_date', models.DateField(blank=True, null=True, verbose_name='due date')),
                        ('status', models.CharField(choices=[('received', 'received'), ('assigned', 'assigned'), ('resolved', 'resolved'), ('closed', 'closed'), ('rejected', 'rejected')], default='received', editable=False, max_length=16, verbose_name='status')),
                        ('received_on', models.DateField(verbose_name='received on')),
                        ('assigned_on', models.DateField(blank=True, editable=False, null=True, verbose_name='assigned on')),
                        ('resolved_on', models.DateField(blank=True, editable=False, null=True, verbose_name='resolved on')),
                        ('closed_on', models.DateField(blank=True, editable=False, null=True, verbose_name='closed on')),
                        ('rejected_on', models.DateField(blank=True, editable=False, null=True, verbose_name='rejected on')),
                        ('rejection_reason', models.TextField(blank=True, editable=False, verbose_name='rejection reason')),
                        ('resolution_note', models.TextField(blank=True, editable=False, verbose_name='resolution note')),
                        ('satisfaction', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'very dissatisfied'), (2, 'dissatisfied'), (3, 'neutral'), (4, 'satisfied'), (5, 'very satisfied')], editable=False, null=True, verbose_name='satisfaction')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='issues', to='chains.enterprise', verbose_name='enterprise')),
                        ('recorded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recorded_issues', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('visit', models.ForeignKey(blank=True, help_text='The investment visit it was raised on (channel: investment visit).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='issues', to='projects.investmentvisit', verbose_name='visit')),
                    ],
                    options={
                        'verbose_name': 'enterprise problem',
                        'verbose_name_plural': 'enterprise problems',
                        'ordering': ['-received_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCadreAssignment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                        ('start_date', models.DateField(verbose_name='start date')),
                        ('end_date', models.DateField(blank=True, help_text='Leave empty while current.', null=True, verbose_name='end date')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('cadre_leader', models.ForeignKey(blank=True, db_constraint=False, help_text="Give the cadre's account or leader record, not both.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='chains.leader', verbose_name='cadre (leader)')),
                        ('cadre_user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='cadre (account)')),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='chains.enterprise', verbose_name='enterprise')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical cadre assignment',
                        'verbose_name_plural': 'historical cadre assignments',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalIssueStep',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                        ('from_status', models.CharField(blank=True, choices=[('received', 'received'), ('assigned', 'assigned'), ('resolved', 'resolved'), ('closed', 'closed'), ('rejected', 'rejected')], max_length=16, verbose_name='from status')),
                        ('to_status', models.CharField(choices=[('received', 'received'), ('assigned', 'assigned'), ('resolved', 'resolved'), ('closed', 'closed'), ('rejected', 'rejected')], max_length=16, verbose_name='to status')),
                        ('on', models.DateField(verbose_name='date')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('issue', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='aftercare.enterpriseissue', verbose_name='enterprise problem')),
                    ],
                    options={
                        'verbose_name': 'historical problem step',
                        'verbose_name_plural': 'historical problem steps',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalLandRenewal',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                        ('land_area', models.DecimalField(blank=True, decimal_places=2, help_text='Land taken over, in 亩.', max_digits=12, null=True, verbose_name='land (mu)')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='chains.enterprise', verbose_name='firm giving up land')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('project', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project', verbose_name='replacement project')),
                    ],
                    options={
                        'verbose_name': 'historical land renewal (腾笼换鸟)',
                        'verbose_name_plural': 'historical land renewals (腾笼换鸟)',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalSalonEvent',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                        ('date', models.DateField(verbose_name='date')),
                        ('place', models.CharField(blank=True, max_length=128, verbose_name='place')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('host', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='chains.leader', verbose_name='host leader')),
                    ],
                    options={
                        'verbose_name': 'historical evening salon',
                        'verbose_name_plural': 'historical evening salons',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='SalonEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('date', models.DateField(verbose_name='date')),
                        ('place', models.CharField(blank=True, max_length=128, verbose_name='place')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('enterprises', models.ManyToManyField(blank=True, related_name='salons', to='chains.enterprise', verbose_name='enterprises attending')),
                        ('host', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='salons', to='chains.leader', verbose_name='host leader')),
                    ],
                    options={
                        'verbose_name': 'evening salon',
                        'verbose_name_plural': 'evening salons',
                        'ordering': ['-date', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalSalonEvent_enterprises',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='chains.enterprise')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='aftercare.historicalsalonevent')),
                        ('salonevent', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='aftercare.salonevent')),
                    ],
                    options={
                        'verbose_name': 'HistoricalSalonEvent_enterprises',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalEnterpriseIssue',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                        ('channel', models.CharField(choices=[('salon', 'evening salon (亲清夜沙龙)'), ('enterprise_code', 'enterprise code app (企业码)'), ('hotline', '96871 hotline'), ('cadre_visit', 'cadre visit (千名干部助千企)'), ('investment_visit', 'investment visit'), ('other', 'other')], max_length=16, verbose_name='channel')),
                        ('category', models.CharField(choices=[('policy', 'policy'), ('land', 'land'), ('finance', 'finance'), ('talent', 'talent'), ('permits', 'permits and approvals'), ('infrastructure', 'infrastructure'), ('other', 'other')], max_length=16, verbose_name='category')),
                        ('description', models.TextField(verbose_name='description')),
                        ('assigned_unit', models.CharField(blank=True, help_text='The unit the problem was handed to (流转交办).', max_length=128, verbose_name='assigned unit')),
                        ('due_date', models.DateField(blank=True, null=True, verbose_name='due date')),
                        ('status', models.CharField(choices=[('received', 'received'), ('assigned', 'assigned'), ('resolved', 'resolved'), ('closed', 'closed'), ('rejected', 'rejected')], default='received', editable=False, max_length=16, verbose_name='status')),
                        ('received_on', models.DateField(verbose_name='received on')),
                        ('assigned_on', models.DateField(blank=True, editable=False, null=True, verbose_name='assigned on')),
                        ('resolved_on', models.DateField(blank=True, editable=False, null=True, verbose_name='resolved on')),
                        ('closed_on', models.DateField(blank=True, editable=False, null=True, verbose_name='closed on')),
                        ('rejected_on', models.DateField(blank=True, editable=False, null=True, verbose_name='rejected on')),
                        ('rejection_reason', models.TextField(blank=True, editable=False, verbose_name='rejection reason')),
                        ('resolution_note', models.TextField(blank=True, editable=False, verbose_name='resolution note')),
                        ('satisfaction', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'very dissatisfied'), (2, 'dissatisfied'), (3, 'neutral'), (4, 'satisfied'), (5, 'very satisfied')], editable=False, null=True, verbose_name='satisfaction')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='chains.enterprise', verbose_name='enterprise')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('visit', models.ForeignKey(blank=True, db_constraint=False, help_text='The investment visit it was raised on (channel: investment visit).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.investmentvisit', verbose_name='visit')),
                        ('salon', models.ForeignKey(blank=True, db_constraint=False, help_text='The salon it was raised at (channel: evening salon).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='aftercare.salonevent', verbose_name='salon')),
                    ],
                    options={
                        'verbose_name': 'historical enterprise problem',
                        'verbose_name_plural': 'historical enterprise problems',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddField(
                    model_name='enterpriseissue',
                    name='salon',
                    field=models.ForeignKey(blank=True, help_text='The salon it was raised at (channel: evening salon).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='issues', to='aftercare.salonevent', verbose_name='salon'),
                ),
                migrations.CreateModel(
                    name='CadreAssignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('start_date', models.DateField(verbose_name='start date')),
                        ('end_date', models.DateField(blank=True, help_text='Leave empty while current.', null=True, verbose_name='end date')),
                        ('cadre_leader', models.ForeignKey(blank=True, help_text="Give the cadre's account or leader record, not both.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cadre_assignments', to='chains.leader', verbose_name='cadre (leader)')),
                        ('cadre_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cadre_assignments', to=settings.AUTH_USER_MODEL, verbose_name='cadre (account)')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cadre_assignments', to='chains.enterprise', verbose_name='enterprise')),
                    ],
                    options={
                        'verbose_name': 'cadre assignment',
                        'verbose_name_plural': 'cadre assignments',
                        'ordering': ['enterprise', '-start_date'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('cadre_user__isnull', False), ('cadre_leader__isnull', True)), models.Q(('cadre_user__isnull', True), ('cadre_leader__isnull', False)), _connector='OR'), name='projects_cadre_user_or_leader', violation_error_message="Give the cadre's account or leader record, exactly one of them."), models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='projects_cadre_end_after_start', violation_error_message='An assignment cannot end before it starts.'), models.UniqueConstraint(condition=models.Q(('end_date__isnull', True)), fields=('enterprise',), name='projects_cadre_one_current_per_firm', violation_error_message='This firm already has a current cadre; end that assignment first.')],
                    },
                ),
                migrations.CreateModel(
                    name='IssueStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('from_status', models.CharField(blank=True, choices=[('received', 'received'), ('assigned', 'assigned'), ('resolved', 'resolved'), ('closed', 'closed'), ('rejected', 'rejected')], max_length=16, verbose_name='from status')),
                        ('to_status', models.CharField(choices=[('received', 'received'), ('assigned', 'assigned'), ('resolved', 'resolved'), ('closed', 'closed'), ('rejected', 'rejected')], max_length=16, verbose_name='to status')),
                        ('on', models.DateField(verbose_name='date')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('issue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='aftercare.enterpriseissue', verbose_name='enterprise problem')),
                    ],
                    options={
                        'verbose_name': 'problem step',
                        'verbose_name_plural': 'problem steps',
                        'ordering': ['issue', 'on', 'pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('to_status__in', ['received', 'assigned', 'resolved', 'closed', 'rejected']), ('from_status__in', ['received', 'assigned', 'resolved', 'closed', 'rejected', ''])), name='projects_issuestep_statuses_valid', violation_error_message='Unknown status.'), models.CheckConstraint(condition=models.Q(('from_status', models.F('to_status')), _negated=True), name='projects_issuestep_moves', violation_error_message='A step must change the status.')],
                    },
                ),
                migrations.CreateModel(
                    name='LandRenewal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('land_area', models.DecimalField(blank=True, decimal_places=2, help_text='Land taken over, in 亩.', max_digits=12, null=True, verbose_name='land (mu)')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='land_renewals', to='chains.enterprise', verbose_name='firm giving up land')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='land_renewals', to='projects.project', verbose_name='replacement project')),
                    ],
                    options={
                        'verbose_name': 'land renewal (腾笼换鸟)',
                        'verbose_name_plural': 'land renewals (腾笼换鸟)',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.UniqueConstraint(fields=('enterprise', 'project'), name='projects_landrenewal_unique', violation_error_message="This firm's land is already linked to this project."), models.CheckConstraint(condition=models.Q(('land_area__isnull', True), ('land_area__gt', 0), _connector='OR'), name='projects_landrenewal_land_positive', violation_error_message='The land taken over must be more than zero mu.')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='salonevent',
                    constraint=models.CheckConstraint(condition=models.Q(('date__lte', projects.expressions.DatabaseTomorrow())), name='projects_salon_not_in_future', violation_error_message='A salon cannot be dated in the future.'),
                ),
                migrations.AddIndex(
                    model_name='enterpriseissue',
                    index=models.Index(fields=['received_on'], name='projects_issue_received_idx'),
                ),
                migrations.AddIndex(
                    model_name='enterpriseissue',
                    index=models.Index(fields=['status', 'due_date'], name='projects_issue_status_due_idx'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(('channel__in', ['salon', 'enterprise_code', 'hotline', 'cadre_visit', 'investment_visit', 'other']), ('category__in', ['policy', 'land', 'finance', 'talent', 'permits', 'infrastructure', 'other']), ('status__in', ['received', 'assigned', 'resolved', 'closed', 'rejected'])), name='projects_issue_choices_valid', violation_error_message='Unknown channel, category or status.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(('salon__isnull', True), ('channel', 'salon'), _connector='OR'), name='projects_issue_salon_channel', violation_error_message="A problem raised at a salon has the channel 'evening salon'."),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(('visit__isnull', True), ('channel', 'investment_visit'), _connector='OR'), name='projects_issue_visit_channel', violation_error_message="A problem raised on a visit has the channel 'investment visit'."),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(('received_on__lte', projects.expressions.DatabaseTomorrow())), name='projects_issue_not_in_future', violation_error_message='A problem cannot be received in the future.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(('due_date__isnull', True), ('due_date__gte', models.F('received_on')), _connector='OR'), name='projects_issue_due_after_received', violation_error_message='The due date cannot be before the date received.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(('assigned_on__isnull', True), models.Q(('status', 'received'), _negated=True), _connector='OR'), name='projects_issue_assigned_date_status', violation_error_message='A problem only received has no assignment date.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'assigned'), _negated=True), models.Q(('assigned_on__isnull', False), models.Q(('assigned_unit', ''), _negated=True)), _connector='OR'), name='projects_issue_assigned_needs_unit', violation_error_message='An assigned problem needs the unit and the date it was assigned.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['resolved', 'closed']), ('resolved_on__isnull', False)), models.Q(models.Q(('status__in', ['resolved', 'closed']), _negated=True), ('resolved_on__isnull', True)), _connector='OR'), name='projects_issue_resolved_date_status', violation_error_message='A resolved or closed problem, and only one, has a resolution date.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['closed']), ('closed_on__isnull', False)), models.Q(models.Q(('status__in', ['closed']), _negated=True), ('closed_on__isnull', True)), _connector='OR'), name='projects_issue_closed_date_status', violation_error_message='A closed problem, and only one, has a closing date.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(models.Q(('status__in', ['rejected']), ('rejected_on__isnull', False)), models.Q(models.Q(('status__in', ['rejected']), _negated=True), ('rejected_on__isnull', True)), _connector='OR'), models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('rejection_reason', ''), _negated=True), _connector='OR')), name='projects_issue_rejected_date_reason', violation_error_message='A rejected problem, and only one, has a rejection date and a reason.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('assigned_on__isnull', True), ('received_on__isnull', True), ('assigned_on__gte', models.F('received_on')), _connector='OR'), models.Q(('resolved_on__isnull', True), ('received_on__isnull', True), ('resolved_on__gte', models.F('received_on')), _connector='OR'), models.Q(('resolved_on__isnull', True), ('assigned_on__isnull', True), ('resolved_on__gte', models.F('assigned_on')), _connector='OR'), models.Q(('closed_on__isnull', True), ('resolved_on__isnull', True), ('closed_on__gte', models.F('resolved_on')), _connector='OR'), models.Q(('rejected_on__isnull', True), ('received_on__isnull', True), ('rejected_on__gte', models.F('received_on')), _connector='OR'), models.Q(('rejected_on__isnull', True), ('assigned_on__isnull', True), ('rejected_on__gte', models.F('assigned_on')), _connector='OR')), name='projects_issue_dates_in_order', violation_error_message='The steps of a problem must be dated in order.'),
                ),
                migrations.AddConstraint(
                    model_name='enterpriseissue',
                    constraint=models.CheckConstraint(condition=models.Q(('satisfaction__isnull', True), models.Q(('satisfaction__in', [1, 2, 3, 4, 5]), ('status__in', ['resolved', 'closed'])), _connector='OR'), name='projects_issue_satisfaction', violation_error_message='Satisfaction is a score from 1 to 5, given once the problem is resolved.'),
                ),
            ],
            database_operations=[migrations.RunPython(tables_forwards, tables_backwards)],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
