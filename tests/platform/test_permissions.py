import pytest

from tests.matrix import LOGIN, check_row, public, row

ROWS = [
    public("/"),
    public("/about/"),
    public("/healthz"),
    public("/api/"),
    public("/api/schema/"),
    public("/api/docs/"),
    public("/experts/"),
    public("/experts/knowledge/"),
    public("/trials/"),
    public("/trials/products/"),
    public("/facilities/"),
    public("/economics/"),
    public("/no-such-page/", 404),
    row("/experts/me/", LOGIN, 200, 200, 200, 200, 200),
    # The admin: staff only; everyone else is sent to the admin's own login form.
    row("/admin/", 302, 302, 302, 302, 200, 200),
    row("/admin/experts/expertprofile/", 302, 302, 302, 302, 200, 200),
    # Accounts are the administrators' business, not the curators'.
    row("/admin/experts/user/", 302, 302, 302, 302, 403, 200),
    row("/admin/auth/group/", 302, 302, 302, 302, 403, 200),
    row("/admin/django_celery_results/taskresult/", 302, 302, 302, 302, 403, 200),
    row("/accounts/email/", LOGIN, 200, 200, 200, 200, 200),
    row("/accounts/password/change/", LOGIN, 200, 200, 200, 200, 200),
]


@pytest.mark.django_db
@pytest.mark.parametrize("matrix_row", ROWS, ids=lambda r: f"{r.method} {r.url}")
def test_permission_matrix(client_for, matrix_row):
    check_row(client_for, matrix_row)


def test_expert_profiles_pages_never_show_email_addresses(client_for, cast):
    for user in cast.values():
        if user is not None:
            user.profile.is_public = True
            user.profile.save()
    anonymous = client_for("anonymous")
    listing = anonymous.get("/experts/").content.decode()
    assert "Expert" in listing or "expert" in listing
    for user in cast.values():
        if user is not None:
            assert user.email not in listing
    detail = anonymous.get(cast["expert"].profile.get_absolute_url())
    assert detail.status_code == 200
    assert cast["expert"].email not in detail.content.decode()
    # A pending user's profile is not public even when they ask for it.
    assert anonymous.get(cast["pending"].profile.get_absolute_url()).status_code == 404
