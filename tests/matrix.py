"""The permission matrix: one row per URL, one expected status per role.

Each app's `tests/<app>/test_permissions.py` builds its rows and calls
`check_row`. Status 302 to the login page is what an anonymous visitor gets on
a page that needs an account.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.conftest import ROLES

LOGIN = "login"  # expected value meaning "redirected to the login page"


@dataclass
class Row:
    url: str
    expect: dict[str, int | str]
    method: str = "get"
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        assert not missing, f"{self.url}: no expectation for {sorted(missing)}"


def public(url: str, status: int = 200) -> Row:
    return Row(url, dict.fromkeys(ROLES, status))


def row(url: str, anonymous, pending, expert, owner, curator, admin, method="get", data=None) -> Row:
    return Row(
        url,
        {
            "anonymous": anonymous,
            "pending": pending,
            "expert": expert,
            "owner": owner,
            "curator": curator,
            "admin": admin,
        },
        method=method,
        data=data or {},
    )


def check_row(client_for, matrix_row: Row) -> None:
    failures = []
    for role in ROLES:
        client = client_for(role)
        response = getattr(client, matrix_row.method)(matrix_row.url, matrix_row.data)
        expected = matrix_row.expect[role]
        if expected == LOGIN:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
            got = f"{response.status_code} -> {response.get('Location', '')}"
        else:
            ok = response.status_code == expected
            got = response.status_code
        if not ok:
            failures.append(f"{role}: expected {expected}, got {got}")
    assert not failures, f"{matrix_row.method.upper()} {matrix_row.url}: " + "; ".join(failures)
