# The chat models move to the chat app (groups/chat/). Nothing changes in the database here:
# the tables stay as they are and chat's migration 0001 takes them over with their rows.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0004_chatmessage_moderation_state'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='chatpresence', name='group'),
                migrations.RemoveField(model_name='chatpresence', name='user'),
                migrations.RemoveField(model_name='chatroomsettings', name='group'),
                migrations.DeleteModel(name='ChatMessage'),
                migrations.DeleteModel(name='ChatPresence'),
                migrations.DeleteModel(name='ChatRoomSettings'),
            ],
            database_operations=[],
        ),
    ]
