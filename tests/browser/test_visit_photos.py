"""Visit photos in Chromium at 375 px: a 4000×3000 picture is reduced in the browser before it is sent."""

import pytest
from PIL import Image

from projects.models import InvestmentVisit, VisitPhoto
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_large_photo_is_reduced_in_the_browser_and_shown_as_a_thumbnail(open_page, live_server, official, tmp_path):
    big = tmp_path / "site-tour.png"
    # Noise, so the file is as heavy as a real photo (about 12 MB as PNG; a solid colour would be tiny).
    Image.merge("RGB", [Image.effect_noise((4000, 3000), 60)] * 3).save(big, "PNG", compress_level=1)
    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}/visits/new/")
    page.fill("#id_enterprise_name", "长城汽车")
    page.dispatch_event("#id_enterprise_name", "change")
    page.fill("#id_purpose", "参观新车间")
    page.set_input_files("#id_photos", str(big))
    page.wait_for_selector(".visit-photo-previews img[src^='data:image/jpeg']")
    assert "site-tour.jpg" in page.inner_text(".visit-photo-previews")  # the input now holds the reduced JPEG
    screenshot(page, "visit-photos-phone")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/visits/new/" not in url)

    photo = VisitPhoto.objects.get()
    visit = InvestmentVisit.objects.get()
    # Reduced by the browser: its name and type are the canvas's JPEG, not the 12 MB PNG chosen.
    assert photo.original_name == "site-tour.jpg" and photo.content_type == "image/jpeg"
    assert max(photo.width, photo.height) <= 1600 and (photo.width, photo.height) == (1600, 1200)
    assert photo.byte_size < 1_500_000

    for path in (f"/visits/{visit.pk}/edit/", f"/enterprises/{visit.enterprise_id}/"):
        page.goto(f"{live_server.url}{path}")
        thumbnail = page.wait_for_selector(f"img[src='/visits/photos/{photo.pk}/thumb/']")
        assert thumbnail.is_visible()
        assert page.get_attribute(f"img[src='/visits/photos/{photo.pk}/thumb/']", "alt")
        response = page.request.get(f"{live_server.url}/visits/photos/{photo.pk}/thumb/")
        assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert page.console_errors == []
