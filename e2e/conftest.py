"""Browser tests: Debian's Chromium driven by Selenium against pytest-django's live server.

No browser is ever downloaded: Selenium gets the system chromedriver and Chromium binaries by
path, and the tests are skipped with a reason where they are missing (CI installs them with
`apt-get install chromium chromium-driver`). Every page visited is saved as a PNG under
artifacts/e2e/ (git-ignored) for a human to look at.
"""

import base64
import importlib
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission

from accounts.backends import RECRUITERS_GROUP
from accounts.tests.factories import DEFAULT_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(django_settings.BASE_DIR) / "artifacts" / "e2e"
WAIT_SECONDS = 15
# Without the background networking switches, Chromium's own connections (updates, sync,
# field trials) are refused in a sandboxed CI and slow every start.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
    # Hermetic: no host but the live server's resolves, so a page that needs the internet (a
    # CDN, say) fails here instead of passing wherever the internet happens to be reachable.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
MAX_SCREENSHOT_HEIGHT = 8000


def missing_browser() -> str | None:
    """Return why the browser tests cannot run here, or None."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not binary.exists():
            return f"{binary} is missing: apt-get install -y chromium chromium-driver"
    return None


@pytest.fixture(scope="session")
def webdriver_session(tmp_path_factory):
    """One headless Chromium for the whole run (a start costs about a second)."""
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS * 2)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    """The live server speaks plain HTTP: cookies must not require HTTPS."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def recruiters_group(transactional_db):
    """Recreate the "Recruiters" group of the data migration, which a transactional test's
    flush deletes (the permissions come back with post_migrate, the group does not)."""
    migration = importlib.import_module("assessments.migrations.0002_recruiters_group")
    group, _ = Group.objects.get_or_create(name=RECRUITERS_GROUP)
    for app_label, models in migration.DOMAIN_MODELS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )
    return group


class Browser:
    """A thin layer over the WebDriver: visit, submit, read, and a screenshot of every page."""

    def __init__(self, driver, base_url: str, test_name: str):
        self.driver = driver
        self.base_url = base_url
        self.test_name = re.sub(r"[^\w-]+", "-", test_name).strip("-")
        self.shots = 0

    # --- navigation ---------------------------------------------------------------------------

    def visit(self, path: str, name: str) -> None:
        self.driver.get(self.base_url + path)
        self.screenshot(name)

    def click(self, css: str, name: str) -> None:
        """Click a link or button that loads a new page, and wait for that page."""
        self._then_wait(lambda: self.find(css).click(), name)

    def press_enter(self, css: str, name: str) -> None:
        """Press Enter in a field (submitting its form), and wait for the next page."""
        from selenium.webdriver.common.keys import Keys

        self._then_wait(lambda: self.find(css).send_keys(Keys.ENTER), name)

    def _then_wait(self, action, name: str) -> None:
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        page = self.find("html")
        action()
        WebDriverWait(self.driver, WAIT_SECONDS).until(expected_conditions.staleness_of(page))
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete"
        )
        self.screenshot(name)

    def log_in(self, email: str, password: str = DEFAULT_PASSWORD) -> None:
        self.visit("/admin/login/?next=/admin/", "login")
        self.fill("#id_username", email)
        self.fill("#id_password", password)
        self.click('#login-form input[type="submit"]', "after-login")

    # --- reading and typing -------------------------------------------------------------------

    def find(self, css: str):
        return self.driver.find_element("css selector", css)

    def find_all(self, css: str) -> list:
        return self.driver.find_elements("css selector", css)

    def text(self, css: str) -> str:
        return self.find(css).text

    def fill(self, css: str, value: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(value)

    def choose(self, css: str, value: str) -> None:
        from selenium.webdriver.support.ui import Select

        Select(self.find(css)).select_by_value(value)

    def messages(self) -> list[str]:
        return [item.text for item in self.find_all("ul.messagelist li")]

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url)

    # --- artifacts ----------------------------------------------------------------------------

    def screenshot(self, name: str) -> Path:
        """Save the whole page (not only the window) as a PNG under artifacts/e2e/."""
        self.shots += 1
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics["cssContentSize"]
        image = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": min(size["height"], MAX_SCREENSHOT_HEIGHT),
                    "scale": 1,
                },
            },
        )
        path = ARTIFACTS / f"{self.test_name}-{self.shots:02d}-{name}.png"
        path.write_bytes(base64.b64decode(image["data"]))
        return path


@pytest.fixture
def browser(webdriver_session, live_server, request) -> Browser:
    """A browser with no cookies, pointed at the live server, for one test."""
    webdriver_session.delete_all_cookies()
    yield Browser(webdriver_session, live_server.url, request.node.name)
    webdriver_session.delete_all_cookies()
