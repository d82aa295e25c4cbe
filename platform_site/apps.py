from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PlatformSiteConfig(AppConfig):
    name = "platform_site"
    verbose_name = "Platform"

    def ready(self) -> None:
        from . import roles, sites

        # Later migrations add models; keep the groups' permissions in step with
        # the declaration in roles.py after every `migrate`.
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="platform_site.sync_roles")
        # The Sites row follows SITE_URL (e-mails, "View on site").
        post_migrate.connect(sites.sync_after_migrate, dispatch_uid="platform_site.sync_site")
        discover_admin_modules()


# django-leaflet's admin module imports django.contrib.gis, which needs the GDAL
# system library; the embedded default must run without it (facilities store
# plain latitude/longitude), so admin discovery skips that one module.
ADMIN_DISCOVERY_SKIPS = {"leaflet"}


def discover_admin_modules() -> None:
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for app_config in apps.get_app_configs():
        if app_config.name in ADMIN_DISCOVERY_SKIPS:
            continue
        if module_has_submodule(app_config.module, "admin"):
            import_module(f"{app_config.name}.admin")
