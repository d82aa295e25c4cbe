import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/experts/knowledge/?q=%00", "/experts/?page=1%00", "/api/?x%00=1"])
def test_nul_characters_in_the_query_string_get_a_400_not_a_500(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.django_db
def test_nul_characters_in_a_form_get_a_400(client_for):
    response = client_for("expert").post("/experts/me/", {"display_name": "Eve\x00"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_ordinary_non_ascii_input_passes(client):
    assert client.get("/experts/knowledge/?q=%C3%A9tude%20%E2%80%93%20CAR-T").status_code == 200
