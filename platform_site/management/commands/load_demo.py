from django.conf import settings
from django.core.management.base import BaseCommand

from platform_site.demo import load_demo_content


class Command(BaseCommand):
    help = "Load demo accounts (one per role) and clearly labelled demo content. Safe to run twice."

    def handle(self, *args, **options):
        accounts = load_demo_content(stdout=self.stdout)
        created = sum(1 for _, was_created in accounts if was_created)
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({created} new demo accounts)."))
        if settings.DEBUG:
            self.stdout.write("Demo accounts (DEBUG only; log in at /accounts/login/):")
            for account, _ in accounts:
                self.stdout.write(f"  {account.role.value:<8} {account.email}  password: {settings.DEMO_PASSWORD}")
