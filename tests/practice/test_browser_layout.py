"""On a phone (390 px wide), no page of the project is wider than the screen (tables scroll
in their own box), and the buttons, menu links, form fields and table links are at least
44 px tall: every named URL (tests/browser_pages.py) for the therapist and the clinic admin
of the demo clinic, the login and two-factor pages, and the 403 and 404 pages."""

import pytest

from tests.browser_pages import ADMIN, THERAPIST, load_demo, open_page, sign_in, unlisted, visits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TOUCH = 44  # px, WCAG 2.5.5

# The elements sticking out past the right edge, outermost first, to name in a failure.
WIDER_THAN_THE_SCREEN = """(width) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5 && r.width > 0 && !out.some(o => o.contains(el))) out.push(el);
  }
  return out.slice(0, 5).map(el => {
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
    const name = [el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), ...classes].join('.');
    return `${name} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
  });
}"""

# Touch targets: what a finger presses in the menu, in forms and in tables. Tick boxes and
# radio buttons are pressed through their labels; hidden elements (a collapsed menu, a
# visually hidden skip link) are not on screen.
TOO_SMALL_TO_TOUCH = """(touch) => {
  const targets = document.querySelectorAll([
    'nav a', 'nav button', '.btn', '.page-link', '.dropdown-item', 'main button', 'table a',
    'main input:not([type=checkbox]):not([type=radio]):not([type=hidden])',
    'main select', 'main textarea',
  ].join(', '));
  const small = [];
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .visually-hidden-focusable, [hidden]')) continue;
    const isButton = el.matches('button, .btn, .page-link');
    if (r.height < touch - 0.5 || (isButton && r.width < touch - 0.5)) {
      const label = el.innerText || el.value || el.getAttribute('aria-label') || el.name || '';
      const size = `${Math.round(r.width)}×${Math.round(r.height)} px`;
      small.push(`${el.tagName.toLowerCase()} "${label.trim().slice(0, 30)}" ${size}`);
    }
  }
  return small;
}"""


@pytest.fixture
def demo(db, media_root):
    return load_demo()


def layout_problems(page, where: str) -> list[str]:
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate(WIDER_THAN_THE_SCREEN, PHONE["width"])
        found.append(f"{where}: the page is {width} px wide at 390 px: {', '.join(wide)}")
    small = page.evaluate(TOO_SMALL_TO_TOUCH, TOUCH)
    if small:
        found.append(
            f"{where}: {len(small)} touch target(s) under {TOUCH} px: " + "; ".join(small[:5])
        )
    return found


@pytest.mark.parametrize("username", [THERAPIST, ADMIN])
def test_no_page_is_wider_than_a_phone(page, demo, username):
    page.set_viewport_size(PHONE)
    found = [f"not in PAGES or SKIPPED (tests/browser_pages.py): {name}" for name in unlisted()]
    sign_in(
        page, username, demo, on_two_factor=lambda: found.extend(layout_problems(page, page.url))
    )
    for visit in visits(demo, username):
        problem = open_page(page, visit)
        found += [problem] if problem else layout_problems(page, f"{visit.url} ({visit.name})")
    assert found == [], "\n".join(found)


def test_the_login_page_fits_a_phone(page, demo):
    page.set_viewport_size(PHONE)
    page.goto("/login/")
    assert layout_problems(page, "/login/") == []
