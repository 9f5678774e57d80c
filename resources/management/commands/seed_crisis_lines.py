from django.core.management.base import BaseCommand

from resources.seeding import crisis_lines_seed


class Command(BaseCommand):
    help = "Create or refresh the well-known national crisis lines (safe to run again)."

    def handle(self, *args, **options) -> None:
        crisis_lines_seed(log=self.stdout.write)
