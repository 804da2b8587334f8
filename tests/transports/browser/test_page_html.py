"""The share page and the error pages are valid HTML (Debian's tidy, or the Nu validator when LANCHAT_VNU_JAR
names its jar), and the page's policy hashes match its inline blocks exactly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from lanchat.transports.browser.net.site import PAGE_FILE
from lanchat.transports.browser.protocol import pages


def validate(path) -> list[str]:
    jar = os.environ.get("LANCHAT_VNU_JAR")
    if jar and shutil.which("java"):
        result = subprocess.run(["java", "-jar", jar, "--errors-only", str(path)], capture_output=True, text=True)
        return [line for line in result.stderr.splitlines() if line.strip()]
    if shutil.which("tidy") is None:
        pytest.skip("needs Debian's tidy (or LANCHAT_VNU_JAR and java)")
    result = subprocess.run(["tidy", "-q", "-e", str(path)], capture_output=True, text=True)
    return [line for line in result.stderr.splitlines() if "Error:" in line]


def test_the_share_page_has_no_html_errors():
    assert validate(PAGE_FILE) == []


@pytest.mark.parametrize("chinese", [False, True])
def test_an_error_page_has_no_html_errors(tmp_path, chinese):
    path = tmp_path / "problem.html"
    path.write_bytes(pages.problem_page(pages.EXPIRED, chinese))
    assert validate(path) == []


def test_the_policy_allows_exactly_the_page_s_own_script_and_style():
    page = PAGE_FILE.read_text(encoding="utf-8")
    policy = pages.page_policy(page)
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    (style,) = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert f"script-src {pages.inline_hash(script)};" in policy and f"style-src {pages.inline_hash(style)};" in policy
    assert "http" not in policy and "unsafe" not in policy
    assert not re.search(r"\son[a-z]+=|\sstyle=|<link|<img|src=\"http", page)  # nothing the policy would block
