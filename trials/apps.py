from django.apps import AppConfig


class TrialsConfig(AppConfig):
    verbose_name = "ATMP products and trials"
    name = "trials"

    def ready(self):
        # Stored full-text vectors follow every save (PostgreSQL only; a no-op on SQLite).
        from . import search

        search.connect_signals()
