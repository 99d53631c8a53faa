"""Swagger UI and ReDoc in a real headless Chromium, served offline by the service.

CI installs Debian's browser and driver: apt-get install -y chromium chromium-driver.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.live_server import live_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_S = 20
SCREENSHOT = Path(tempfile.gettempdir()) / "swagger.png"
TRIAGE_OPBLOCK = "#operations-triage-triage"
# ReDoc 2 always draws its "API docs by Redocly" logo from its CDN and hides the image when
# that fails; the CSP or the resolver rules below make it fail, which is the point.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is absent: apt-get install -y chromium chromium-driver",
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chrome]:
    assert CHROMEDRIVER.exists(), f"{CHROMEDRIVER} is absent: apt-get install chromium-driver"
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
        "--window-size=1280,1600",
        # Any host but loopback fails to resolve, so a page that still needed a CDN breaks.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_S)
    driver.set_script_timeout(WAIT_S)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_for(driver: Chrome, css: str) -> WebElement:
    element: WebElement = WebDriverWait(driver, WAIT_S).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )
    return element


def _click(driver: Chrome, css: str) -> None:
    element = WebDriverWait(driver, WAIT_S).until(
        expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, css))
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _severe_console_messages(driver: Chrome) -> list[str]:
    messages = [str(e["message"]) for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return [m for m in messages if REDOC_LOGO not in m]


def test_swagger_ui_renders_and_try_it_out_gets_a_200(browser: Chrome, base_url: str) -> None:
    browser.get(f"{base_url}/docs")
    _wait_for(browser, TRIAGE_OPBLOCK)
    for operation in ("catalogue-findings", "catalogue-red_flags", "health-readyz"):
        _wait_for(browser, f"#operations-{operation}")

    _click(browser, f"{TRIAGE_OPBLOCK} .opblock-summary-control")
    _click(browser, f"{TRIAGE_OPBLOCK} .try-out__btn")
    examples = _wait_for(browser, f"{TRIAGE_OPBLOCK} .opblock-section-request-body select")
    first = examples.find_elements(By.TAG_NAME, "option")[0]
    assert first.is_selected()
    body = _wait_for(browser, f"{TRIAGE_OPBLOCK} textarea.body-param__text")
    assert "onset_during_sprint" in str(body.get_attribute("value"))  # the first example

    _click(browser, f"{TRIAGE_OPBLOCK} .execute")
    status = WebDriverWait(browser, WAIT_S).until(
        expected_conditions.text_to_be_present_in_element(
            (
                By.CSS_SELECTOR,
                f"{TRIAGE_OPBLOCK} .live-responses-table tr.response .response-col_status",
            ),
            "200",
        )
    )
    assert status
    result = _wait_for(browser, f"{TRIAGE_OPBLOCK} .live-responses-table .microlight")
    assert '"hamstring_check"' in result.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", result)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert _severe_console_messages(browser) == []


def test_redoc_renders_the_title_and_an_operation(browser: Chrome, base_url: str) -> None:
    browser.get(f"{base_url}/redoc")
    title = _wait_for(browser, ".api-info h1")
    assert title.text.startswith("thigh-triage")
    WebDriverWait(browser, WAIT_S).until(
        expected_conditions.presence_of_element_located(
            (By.XPATH, "//h2[contains(., 'Assess posterior thigh pain')]")
        )
    )
    assert _severe_console_messages(browser) == []
