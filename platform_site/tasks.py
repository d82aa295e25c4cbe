from celery import shared_task


@shared_task(name="platform_site.ping")
def ping(payload: str = "pong") -> dict:
    """A round trip through the broker and a worker; /healthz and the tests use it."""
    from django.db import connection

    # Touch the database, so a round trip proves the worker reaches it too.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"payload": payload, "database": connection.vendor}


@shared_task(name="platform_site.send_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(recipient: str, subject: str, body: str) -> int:
    from django.conf import settings
    from django.core.mail import send_mail

    return send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [recipient])
