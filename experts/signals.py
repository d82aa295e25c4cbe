from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ExpertProfile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="experts.create_profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    # Every account has a profile, so approval and the expert list need no special cases.
    if created and not raw:
        ExpertProfile.objects.get_or_create(user=instance)
