# The chat tables take the chat app's names (groups_chat* → chat_chat*); rows, ids, indexes
# and constraints stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('chat', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='chatroomsettings', table=None),
        migrations.AlterModelTable(name='chatmessage', table=None),
        migrations.AlterModelTable(name='chatpresence', table=None),
    ]
