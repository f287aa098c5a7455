"""Cached public pages in a real browser: no cookie for a visitor who only reads, and every new
visitor can switch language."""

from playwright.sync_api import expect


def test_visitors_of_a_cached_catalogue_get_no_cookie_and_can_each_switch_language(browser, base_url):
    for language, direction in (("ar", "rtl"), ("tr", "ltr"), ("fa", "rtl")):
        context = browser.new_context()  # a new visitor: no cookies, the page comes from the cache
        page = context.new_page()
        page.goto(base_url + "/")
        assert context.cookies() == []  # the privacy notice promises a session cookie only when signed in
        page.locator(f"button[name=lang][value={language}]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        assert [cookie["name"] for cookie in context.cookies()] == ["lang"]
        context.close()
