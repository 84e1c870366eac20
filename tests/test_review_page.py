"""The review page in a real headless browser (Debian's chromium through Playwright): sign in with a
key, see the item with its page image, click Approve, and find the decision in the catalog."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa
from PIL import Image

from mm_assets.settings import load_settings
from resources.catalog import review_item
from tests.serving import SAMPLES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_clicking_approve_on_the_review_page_lands_in_the_catalog(served, tmp_path):
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's chromium is needed for the browser test: apt-get install chromium")
    photo = tmp_path / "chelsea-page.bmp"
    Image.open(SAMPLES / "chelsea.jpg").save(photo)  # chelsea's low-confidence OCR opens a review item
    content_hash = served.upload_waiting(photo)["content_hash"]
    served.wait_until_idle()  # ocr_quality, not a blocking check, runs after the answer
    engine = sa.create_engine(load_settings({"MM_HOME": str(served.home)}).catalog_url)
    with engine.connect() as conn:
        review_id = conn.execute(
            sa.select(review_item.c.review_id).where(review_item.c.source_hash == content_hash)
        ).scalar_one()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            assert page.goto(f"{served.url}/review").status == 401  # the sign-in form
            page.fill("input[name=key]", served.keys["demo"])
            page.click("button[type=submit]")
            card = page.locator(f"section[data-review-id='{review_id}']")
            assert card.count() == 1
            assert "ocr_quality" in card.locator(".reason").inner_text()
            image = card.locator("img")
            image.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            with page.expect_navigation():
                card.locator("button.approve").click()
            assert page.locator(f"section[data-review-id='{review_id}']").count() == 0
        finally:
            browser.close()

    with engine.connect() as conn:
        row = conn.execute(sa.select(review_item).where(review_item.c.review_id == review_id)).one()
    assert row.status == "approved" and row.resolved_at is not None
