"""Demo content for this app; `manage.py load_demo` calls load(). Must be idempotent."""


def load(*, stdout=None) -> None:
    return None
