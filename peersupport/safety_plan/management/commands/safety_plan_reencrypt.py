"""Re-encrypt every safety plan with the newest key in SAFETY_PLAN_KEYS (after adding a key)."""

from django.core.management.base import BaseCommand, CommandError

from peersupport.safety_plan.services import safety_plan_reencrypt_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every safety plan with the first (newest) key of SAFETY_PLAN_KEYS. Run it "
        "after putting a new key first; then the old keys can be removed."
    )

    def handle(self, *args, **options) -> None:
        done, unreadable = safety_plan_reencrypt_all()
        self.stdout.write(f"Re-encrypted {done} safety plan(s) with the newest key.")
        if unreadable:
            # Never print a plan: only how many could not be opened.
            raise CommandError(
                f"{unreadable} plan(s) could not be opened with any key in SAFETY_PLAN_KEYS and "
                "were left unchanged. Put back the key they were written with and run this again."
            )
