"""Expert demo content: the demo accounts (platform_site.demo) already carry profiles."""


def load(*, stdout=None) -> None:
    return None
