"""The SR-team on a phone (375×667): the menu is closed behind a "Menu" button, so the page's own
content starts near the top; the button opens it with the keyboard and shows the menu's groups.

A screenshot of the closed and the open menu is kept under the test's tmp_path
(pytest keeps the last runs: ``pytest --basetemp=...`` to choose where)."""

from playwright.sync_api import expect

PHONE = {"width": 375, "height": 667}
GROUPS = ["Contracten", "Controle", "Raad en cijfers"]


def test_the_srteam_menu_is_closed_on_a_phone_and_opens_with_the_keyboard(
    _playwright_browser, live_server, demo_world, login, tmp_path,
):
    context = _playwright_browser.new_context(locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        login(page, live_server, "srteam")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_be_visible()
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        button = menu.get_by_role("button", name="Menu")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(menu.get_by_role("link", name="Inbox")).to_be_hidden()
        # The first content is within ~150 px of the top (it was 435 px below the menu).
        assert heading.bounding_box()["y"] < 150, heading.bounding_box()
        page.screenshot(path=str(tmp_path / "srteam-phone-menu-dicht.png"))

        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        for label in GROUPS:
            group = menu.get_by_role("list", name=label, exact=True)
            expect(group).to_be_visible()
        expect(menu.get_by_role("list", name="Contracten", exact=True).get_by_role("link", name="Inbox")).to_be_visible()
        expect(menu.get_by_role("list", name="Controle", exact=True).get_by_role("link", name="Controle")).to_be_visible()
        page.screenshot(path=str(tmp_path / "srteam-phone-menu-open.png"), full_page=True)

        # Escape closes it again and leaves the focus on the button; a link in it works.
        page.keyboard.press("Escape")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_be_focused()
        page.keyboard.press("Enter")
        menu.get_by_role("link", name="Inbox").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inbox nieuwe contracten")
    finally:
        context.close()


def test_on_a_wide_screen_the_menu_is_open_without_a_button(browser_page, live_server, demo_world, login, tmp_path):
    page = login(browser_page, live_server, "srteam")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("button", name="Menu")).to_be_hidden()
    for label in GROUPS:
        expect(menu.get_by_role("list", name=label, exact=True)).to_be_visible()
    page.screenshot(path=str(tmp_path / "srteam-breed.png"))


def test_without_javascript_the_phone_menu_is_simply_shown(_playwright_browser, live_server, demo_world, login):
    context = _playwright_browser.new_context(locale="nl-NL", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        login(page, live_server, "srteam")
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        expect(menu.get_by_role("button", name="Menu")).to_be_hidden()
        expect(menu.get_by_role("link", name="Inbox")).to_be_visible()
    finally:
        context.close()
