"""The owner's profile form: ORCID checksums, photo uploads, Markdown bio, the completeness hint."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from experts.models import ExpertProfile
from experts.validators import normalise_orcid, validate_orcid
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


# --- ORCID -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "orcid",
    [
        "0000-0002-1825-0097",  # ORCID's own example
        "0000-0001-5109-3700",
        "0000-0002-1694-233X",  # check character X (remainder 10)
    ],
)
def test_valid_orcid_ids(orcid):
    validate_orcid(orcid)


@pytest.mark.parametrize(
    "orcid, code",
    [
        ("0000-0002-1825-0098", "orcid_checksum"),  # wrong check digit
        ("0000-0002-1694-2330", "orcid_checksum"),  # should have been X
        ("0000-0002-1825-009", "orcid_format"),
        ("0000-0002-1825-00977", "orcid_format"),
        ("0000-0002-1825-009Y", "orcid_format"),
        ("000000021825009X", "orcid_format"),  # stored with hyphens only
    ],
)
def test_invalid_orcid_ids(orcid, code):
    with pytest.raises(ValidationError) as error:
        validate_orcid(orcid)
    assert error.value.code == code


def test_orcid_urls_and_lower_case_x_are_normalised():
    assert normalise_orcid(" https://orcid.org/0000-0002-1694-233x ") == "0000-0002-1694-233X"
    assert normalise_orcid("0000000218250097") == "0000-0002-1825-0097"


def _post(client, **extra):
    data = {"display_name": "Dr Form", "title_visibility": "everyone", "affiliation_visibility": "everyone",
            "country_visibility": "everyone", "stakeholder_type_visibility": "everyone",
            "expertise_visibility": "everyone", "languages_visibility": "everyone", "orcid_visibility": "everyone",
            "website_visibility": "everyone", "bio_visibility": "everyone", "photo_visibility": "everyone",
            "availability_visibility": "everyone", "is_public": "on", "contact_enabled": "on", **extra}  # fmt: skip
    return client.post("/experts/me/", data)


@pytest.fixture
def owner_client(client):
    user = make_user("form@example.org", role="expert")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.user = user
    return client


def test_orcid_entered_as_a_url_is_stored_and_shown_as_a_link(owner_client):
    response = _post(owner_client, orcid="https://orcid.org/0000-0002-1694-233x")
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=owner_client.user)
    assert profile.orcid == "0000-0002-1694-233X"
    page = owner_client.get(profile.get_absolute_url()).content.decode()
    assert '<a href="https://orcid.org/0000-0002-1694-233X"' in page


def test_a_wrong_orcid_check_digit_is_refused_with_a_clear_error(owner_client):
    response = _post(owner_client, orcid="0000-0002-1825-0098")
    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    assert ExpertProfile.objects.get(user=owner_client.user).orcid == ""


# --- Photos ----------------------------------------------------------------------------
def _image_bytes(fmt="PNG", size=(64, 48), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    image.save(out, format=fmt, **({"exif": exif} if exif else {}))
    return out.getvalue()


def _upload(name, content, content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def _photo_files(settings) -> list:
    folder = settings.EXPERTS_PHOTO_DIR
    return list(folder.iterdir()) if folder.exists() else []


def test_a_photo_is_re_encoded_without_its_metadata(owner_client, settings):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {2: (52.0, 31.0, 0.0)}  # a GPS latitude
    jpeg = _image_bytes("JPEG", (1200, 900), exif=exif.tobytes())
    assert b"SpyCam" in jpeg
    response = _post(owner_client, photo=_upload("jane-doe-at-home.jpg", jpeg, "image/jpeg"))
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=owner_client.user)
    stored = profile.photo.open("rb").read()
    assert b"SpyCam" not in stored and b"Exif" not in stored
    assert "jane" not in profile.photo.name
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and max(image.size) <= 512
    served = owner_client.get(profile.photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("notes.png", b"These are my notes, not a picture.", "not one of those"),
        ("logo.svg", SVG, "not one of those"),
        ("cut.png", _image_bytes("PNG", (400, 400))[:300], "damaged or incomplete"),
        ("anim.gif", _image_bytes("GIF"), "not one of those"),
    ],
)
def test_bad_photo_uploads_get_a_clear_error_and_nothing_is_stored(owner_client, settings, name, content, expected):
    response = _post(owner_client, photo=_upload(name, content))
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not ExpertProfile.objects.get(user=owner_client.user).photo
    assert _photo_files(settings) == []


def test_a_huge_image_is_refused_before_it_is_decoded(owner_client, settings):
    settings.EXPERTS_PHOTO_MAX_PIXELS = 1_000_000
    # 2000 x 2000 of one colour compresses to a few kilobytes: small file, many pixels.
    response = _post(owner_client, photo=_upload("huge.png", _image_bytes("PNG", (2000, 2000))))
    assert response.status_code == 200
    assert "2000 × 2000 pixels" in response.content.decode()
    assert _photo_files(settings) == []


def test_a_decompression_bomb_is_refused(owner_client, settings):
    settings.EXPERTS_PHOTO_MAX_PIXELS = 10**12  # only Pillow's own bomb guard stands in the way
    header = _image_bytes("PNG", (1, 1))
    # Rewrite the IHDR size to 100,000 x 100,000 (CRC fixed up): a 10-gigapixel claim in 70 bytes.
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    bomb = header[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + header[33:]
    response = _post(owner_client, photo=_upload("bomb.png", bomb))
    assert response.status_code == 200
    assert "too many pixels to be opened safely" in response.content.decode()
    assert _photo_files(settings) == []


def test_a_file_over_the_size_limit_is_refused(owner_client, settings):
    settings.EXPERTS_PHOTO_MAX_BYTES = 10_000
    response = _post(owner_client, photo=_upload("big.png", _image_bytes("PNG", (64, 48)) + b"\0" * 20_000))
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert _photo_files(settings) == []


def test_replacing_and_removing_a_photo_deletes_the_old_file(
    owner_client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(owner_client, photo=_upload("a.png", _image_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        _post(owner_client, photo=_upload("b.png", _image_bytes()))
    assert len(_photo_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _post(owner_client, remove_photo="on")
    assert _photo_files(settings) == []
    assert not ExpertProfile.objects.get(user=owner_client.user).photo


# --- Bio and hints -----------------------------------------------------------------------
def test_the_bio_is_markdown_rendered_safely(owner_client):
    _post(owner_client, bio="**Bold** <script>alert(1)</script> [site](javascript:alert(1))")
    page = owner_client.get(ExpertProfile.objects.get(user=owner_client.user).get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page and "javascript:" not in page


def test_the_completeness_hint_names_what_is_missing(owner_client):
    page = owner_client.get("/experts/me/").content.decode()
    assert "add your expertise areas so people can find you" in page.lower()
    _post(owner_client, expertise_areas=[1, 2])
    page = owner_client.get("/experts/me/").content.decode()
    assert "add your expertise areas" not in page.lower()
