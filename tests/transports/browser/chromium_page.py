"""A phone's browser on a share's page: headless Chromium driven by Selenium, run inside a test's namespace.

    chromium_page.py --url URL --lang en|zh-CN [--upload FILE ...] [--download-dir DIR] [--screenshot PNG]

Prints one JSON object a line as it goes: `opened`, `picked`, `waiting` (the
page says it waits for the other side to accept), `uploaded` (the rows'
final words and every progress percentage the page showed), `downloaded`
(the files saved), `screenshot`, and `error` with what went wrong. The
viewport is a phone's, 375×812 CSS pixels, with an iPhone's user agent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
#: Every text the page's rows show, kept as the page changes them.
WATCH = """
window.seenStates = [];
new MutationObserver(() => {
  for (const node of document.querySelectorAll("#queue .state")) window.seenStates.push(node.textContent);
}).observe(document.getElementById("queue"), {subtree: true, childList: true, characterData: true, attributes: true});
"""


def say(step: str, **fields: Any) -> None:
    print(json.dumps({"step": step, **fields}, ensure_ascii=False), flush=True)


def wait(driver: webdriver.Chrome, script: str, timeout: float, what: str) -> Any:
    """The first truthy value of `script` on the page (Selenium's own polling)."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script(script), message=f"{what} within {timeout:g} s")


def browser(lang: str, downloads: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-extensions", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps",
                 f"--lang={lang}", "--window-size=375,812"):
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 1.0}, "userAgent": IPHONE})
    options.add_experimental_option("prefs", {
        "intl.accept_languages": lang, "download.default_directory": str(downloads),
        "download.prompt_for_download": False, "safebrowsing.enabled": False})
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--upload", nargs="*", default=[])
    parser.add_argument("--download-dir")
    parser.add_argument("--screenshot")
    parser.add_argument("--pin", help="the share's PIN, typed when the page asks for it")
    args = parser.parse_args()
    downloads = Path(args.download_dir or "/tmp")
    driver = browser(args.lang, downloads)
    try:
        driver.get(args.url)
        if args.pin:
            wait(driver, "return !document.getElementById('pinbox').hidden", 15, "the page did not ask for the PIN")
            driver.find_element(By.ID, "pin").send_keys(args.pin)
            driver.find_element(By.ID, "pinbutton").click()
        wait(driver, "return !document.getElementById('sendbox').hidden || !document.getElementById('getbox').hidden",
             15, "the page did not open")
        say("opened", title=driver.title, lang=driver.execute_script("return document.documentElement.lang"))
        if args.upload:
            driver.execute_script(WATCH)
            driver.find_element(By.ID, "picker").send_keys("\n".join(args.upload))
            say("picked", count=len(args.upload))
            text = wait(driver, "const s = document.querySelector('#queue .state');"
                        "return s && s.textContent.includes('…') && s.textContent", 15, "no upload row")
            say("waiting", text=text)
            states = wait(driver, f"""
                const rows = Array.from(document.querySelectorAll('#queue li'));
                const ended = rows.length === {len(args.upload)} && rows.every(
                    r => /ok|bad/.test(r.querySelector('.state').className));
                return ended && rows.map(r => r.querySelector('.state').textContent);""", 300, "uploads did not end")
            seen = driver.execute_script("return window.seenStates")
            percents = sorted({int(t.split()[-2]) for t in seen if t.strip().endswith("%")})
            say("uploaded", states=states, progress=percents)
        links = driver.find_elements(By.CSS_SELECTOR, "#files a.get")
        if args.download_dir and links:
            for link in links:
                link.click()
            names = [link.get_attribute("download") for link in links]

            def downloaded(_driver: webdriver.Chrome) -> bool:
                present = {p.name for p in downloads.iterdir()}
                return all(n in present for n in names) and not any(p.endswith(".crdownload") for p in present)

            try:
                WebDriverWait(driver, 60, poll_frequency=0.1).until(downloaded)
            except TimeoutException:
                pass  # the test compares what is there
            say("downloaded", files=sorted(p.name for p in downloads.iterdir()))
        if args.screenshot:
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(args.screenshot)
            say("screenshot", path=args.screenshot)
        return 0
    except Exception as e:  # told to the test, which shows it
        say("error", message=f"{type(e).__name__}: {e}")
        return 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
