import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from platform_site.demo import DEMO_ACCOUNTS, load_demo_content

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_home_page_counts_come_from_the_database(client, cast):
    def experts_figure():
        page = client.get("/").content.decode()
        return int(re.search(r'data-figure="Experts">(\d+)<', page).group(1))

    # The figure is what /experts/ lists for a visitor: approved profiles listed for everyone.
    assert experts_figure() == 0
    cast["expert"].profile.is_public = True
    cast["expert"].profile.save()
    assert experts_figure() == 1
    cast["pending"].profile.is_public = True  # listed, but not approved yet
    cast["pending"].profile.save()
    assert experts_figure() == 1
    cast["pending"].profile.approved_at = cast["expert"].profile.approved_at
    cast["pending"].profile.save()
    assert experts_figure() == 2


@pytest.mark.django_db
def test_base_layout_has_landmarks_skip_link_and_navigation(client):
    page = client.get("/").content.decode()
    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<footer" in page and 'aria-label="Main navigation"' in page
    for label in ("Home", "Trials", "Facility map", "Economics", "Experts", "Knowledge", "Log in"):
        assert f">{label}</a>" in page, label


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_loads_scripts_or_styles_from_another_host():
    offenders = []
    for template in list((ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        for match in re.finditer(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", text):
            offenders.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, offenders


@pytest.mark.django_db
def test_no_inline_scripts_on_public_pages(client):
    # The CSP forbids them; JSON data blocks (json_script) are allowed.
    for url in ("/", "/about/", "/experts/", "/accounts/login/", "/accounts/signup/"):
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page):
            assert "nonce=" in tag, f"{url}: inline {tag}"


@pytest.mark.django_db
def test_friendly_404_and_403_pages(client, client_for):
    response = client.get("/this/does/not/exist/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    response = client_for("curator").get("/admin/experts/user/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_500_page_is_friendly_and_standalone(settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    settings.DEBUG = False
    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("boom/", boom)], "handler500": "platform_site.views.error_500"}
    )
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_curators_see_only_curation_models_in_the_admin(client_for):
    page = client_for("curator").get("/admin/").content.decode()
    assert "Expert profiles" in page
    for hidden in ("Users", "Groups", "Access attempts", "Task results"):
        assert f">{hidden}<" not in page, hidden
    admin_page = client_for("admin").get("/admin/").content.decode()
    assert ">Users<" in admin_page and "ATMP Expert Platform administration" in admin_page


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_creates_one_account_per_role(django_user_model):
    first = load_demo_content()
    count = django_user_model.objects.count()
    second = load_demo_content()
    assert django_user_model.objects.count() == count  # nothing new the second time
    # One account per role to sign in with; the directory's demo profiles have no usable password.
    can_sign_in = [u for u in django_user_model.objects.all() if u.has_usable_password()]
    assert sorted(u.email for u in can_sign_in) == sorted(a.email for a in DEMO_ACCOUNTS)
    assert all(created for _, created in first)
    assert not any(created for _, created in second)


@pytest.mark.django_db
def test_load_demo_prints_passwords_only_in_debug(settings):
    shown, hidden = io.StringIO(), io.StringIO()
    settings.DEBUG = True
    call_command("load_demo", stdout=shown)
    assert "password:" in shown.getvalue()
    settings.DEBUG = False
    call_command("load_demo", stdout=hidden)
    assert "Demo content loaded" in hidden.getvalue()
    assert "password:" not in hidden.getvalue()


def test_openapi_schema_validates_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
