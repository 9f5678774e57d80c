# The chat models, moved from the groups app with their data (groups migration 0005 let go of
# them). The tables already exist, so this only records them in the migration state, then
# repoints their content types (and with them permissions, reports, cases, held items, safety
# scans, audit rows and notifications that name a chat message) from "groups" to "chat".

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ('chatmessage', 'chatpresence', 'chatroomsettings')


def _relabel(apps, schema_editor, *, old, new):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        moving = ContentType.objects.using(db).filter(app_label=old, model=model)
        if not moving.exists():
            continue  # A fresh database: content types are made after migrating.
        # A row already under the new label cannot be referenced by anything yet (the model
        # only now moves there); drop it so the original row, with its id, takes the label.
        ContentType.objects.using(db).filter(app_label=new, model=model).delete()
        moving.update(app_label=new)


def content_types_to_chat(apps, schema_editor):
    _relabel(apps, schema_editor, old='groups', new='chat')


def content_types_to_groups(apps, schema_editor):
    _relabel(apps, schema_editor, old='chat', new='groups')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('groups', '0005_chat_moves_to_its_own_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ChatRoomSettings',
                    fields=[
                        ('group', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='chat_settings', serialize=False, to='groups.group')),
                        ('slow_mode_seconds', models.PositiveIntegerField(default=0, verbose_name='slow mode (seconds between messages per member)')),
                        ('facilitator_only', models.BooleanField(default=False, verbose_name='open only while a facilitator is present')),
                        ('last_seq', models.PositiveBigIntegerField(default=0, editable=False)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'verbose_name': 'chat room settings',
                        'verbose_name_plural': 'chat room settings',
                        'db_table': 'groups_chatroomsettings',
                    },
                ),
                migrations.CreateModel(
                    name='ChatMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.PositiveBigIntegerField()),
                        ('client_id', models.CharField(max_length=64)),
                        ('body', models.TextField(max_length=2000)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('deleted_at', models.DateTimeField(blank=True, null=True)),
                        ('moderation_state', models.CharField(choices=[('visible', 'Visible'), ('held', 'Held for a facilitator'), ('hidden', 'Hidden by a facilitator')], default='visible', max_length=10)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chat_messages', to=settings.AUTH_USER_MODEL)),
                        ('deleted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chat_messages', to='groups.group')),
                    ],
                    options={
                        'ordering': ['group', 'seq'],
                        'indexes': [models.Index(fields=['group', 'author', 'created_at'], name='groups_chat_author_recent_idx')],
                        'constraints': [models.UniqueConstraint(fields=('group', 'seq'), name='groups_chatmessage_seq_per_room'), models.UniqueConstraint(fields=('author', 'client_id'), name='groups_chatmessage_client_id_once')],
                        'db_table': 'groups_chatmessage',
                    },
                ),
                migrations.CreateModel(
                    name='ChatPresence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel_name', models.CharField(max_length=200, unique=True)),
                        ('show_name', models.BooleanField(default=False)),
                        ('is_moderator', models.BooleanField(default=False)),
                        ('connected_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chat_presence', to='groups.group')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'indexes': [models.Index(fields=['group', 'is_moderator'], name='groups_chatpresence_room_idx')],
                        'db_table': 'groups_chatpresence',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_chat, content_types_to_groups),
    ]
