"""Every page of the project (every named URL, tests/browser_pages.py) passes axe (axe-core,
bundled with axe-playwright-python) with no serious or critical violation (nor an empty
table header), at desktop width and at 390 px, and its skip link leads into the main
region: for the therapist and the clinic admin of the demo clinic, with the login page, the
two-factor page and the 403 and 404 pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser_pages import (
    ADMIN,
    SKIPPED,
    THERAPIST,
    Visit,
    load_demo,
    open_page,
    sign_in,
    stale,
    unlisted,
    visits,
)

SERIOUS = {"serious", "critical"}
# Minor for axe, but named in issue 13: a column without a heading says nothing to a
# screen reader.
ALSO_FAILING = {"empty-table-header"}
WIDTHS = (1280, 390)

browser_test = pytest.mark.browser
live_database = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db, media_root):
    return load_demo()


def serious_violations(page, where: str = "") -> list[str]:
    results = Axe().run(page)
    return [
        f"{where}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        + (f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else "")
        for v in results.response["violations"]
        if v["impact"] in SERIOUS or v["id"] in ALSO_FAILING
    ]


# The first thing a keyboard reaches is the skip link, and it leads into <main>.
FIRST_TAB_STOP = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'
)].filter(el => !el.disabled)[0]?.matches('a.skip-link[href="#main"]') ?? false"""
FOCUS_IN_MAIN = "document.querySelector('main#main')?.contains(document.activeElement) ?? false"


def skip_link_problems(page, where: str) -> list[str]:
    if not page.evaluate(FIRST_TAB_STOP):
        return [f"{where}: the first tab stop is not the skip link"]
    skip = page.locator("a.skip-link")
    skip.focus()
    box = skip.bounding_box()
    if box is None or box["width"] < 44 or box["height"] < 24:
        return [f"{where}: the skip link stays hidden when focused ({box})"]
    page.keyboard.press("Enter")
    if not page.evaluate(FOCUS_IN_MAIN):
        return [f"{where}: the skip link does not move focus into <main>"]
    return []


def check_here(page, where: str, *, document: bool = False) -> list[str]:
    """The skip link (a page of the app, not a document to print); axe on the page as it
    is, at each width."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    found = [] if document else skip_link_problems(page, where)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found += serious_violations(page, f"({width} px) {where}")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return found


def check(page, pages: list[Visit]) -> list[str]:
    found = []
    for visit in pages:
        problem = open_page(page, visit)
        if problem:
            found.append(problem)
            continue
        found += check_here(page, f"{visit.url} ({visit.name})", document=visit.document)
    return found


def test_every_url_of_the_project_is_a_page_here_or_skipped_with_a_reason():
    assert unlisted() == [], "Add these URL names to PAGES or SKIPPED in tests/browser_pages.py"
    assert stale() == [], "These names are gone from the URLconf: remove them"
    assert all(reason.strip() for reason in SKIPPED.values())


@browser_test
@live_database
@pytest.mark.parametrize("username", [THERAPIST, ADMIN])
def test_every_page_passes_axe(page, demo, username):
    found = [f"not in PAGES or SKIPPED (tests/browser_pages.py): {name}" for name in unlisted()]
    sign_in(page, username, demo, on_two_factor=lambda: found.extend(check_here(page, page.url)))
    found += check(page, list(visits(demo, username)))
    assert found == [], "\n".join(found)


@browser_test
@live_database
def test_the_login_page_passes_axe(page, demo):
    page.goto("/login/")
    assert check_here(page, "/login/") == []
