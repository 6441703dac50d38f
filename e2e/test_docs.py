"""The API docs in a real browser: Swagger UI renders the operations from the app's own static
files, and no request leaves the live server (conftest.py makes every other host unresolvable)."""

from urllib.parse import urlsplit

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from e2e.conftest import WAIT_SECONDS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_operations_with_nothing_from_another_host(browser):
    browser.visit("/api/v1/docs/", "docs-loading")
    WebDriverWait(browser.driver, WAIT_SECONDS).until(
        lambda driver: driver.find_elements("css selector", ".opblock-summary-path")
    )
    browser.screenshot("docs")

    paths = {
        element.text.replace("\u200b", "") for element in browser.find_all(".opblock-summary-path")
    }
    assert {"/api/v1/auth/login/", "/api/v1/interviews/{id}/start/"} <= paths
    assert browser.text(".info .title").startswith("Interview platform API")

    resources = browser.driver.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    own = urlsplit(browser.base_url).netloc
    assert any("swagger-ui-bundle" in url for url in resources), resources
    assert {urlsplit(url).netloc for url in resources} == {own}, resources
