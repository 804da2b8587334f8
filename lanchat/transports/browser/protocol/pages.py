"""The share page's security headers, its language, and the short pages a browser gets when something is wrong."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A page for people: a title and a sentence, in English and Chinese."""

    title: tuple[str, str]
    text: tuple[str, str]


EXPIRED = Problem(
    ("This link does not work", "此链接无效"),
    ("The share has ended, or the link is wrong. Ask for a new QR code on the computer that shared it.",
     "分享已结束，或链接不正确。请在分享文件的电脑上重新获取二维码。"),
)
NOT_FOUND = Problem(
    ("Nothing here", "这里没有内容"),
    ("This address is not part of the share. Scan the QR code again.", "此地址不属于该分享。请重新扫描二维码。"),
)
BAD_REQUEST = Problem(
    ("The browser sent something lanchat cannot read", "浏览器发送了 lanchat 无法读取的内容"),
    ("Reload the page and try again.", "请刷新页面后重试。"),
)
WRONG_METHOD = Problem(
    ("This address cannot do that", "此地址不支持该操作"),
    ("Open the share's page and use its buttons.", "请打开分享页面，使用页面上的按钮。"),
)
TOO_MANY = Problem(
    ("Too many tries", "尝试次数过多"),
    ("Wait a minute, then try again.", "请稍等一分钟后再试。"),
)
BUSY = Problem(
    ("The computer is busy", "电脑正忙"),
    ("Too many files are being sent at once. The page tries again by itself.",
     "同时发送的文件太多。页面会自动重试。"),
)

#: Headers on every answer: nothing is cached, sniffed, framed, or told where the link came from.
COMMON_HEADERS: tuple[tuple[str, str], ...] = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-store"),
    ("x-frame-options", "DENY"),
    ("cross-origin-resource-policy", "same-origin"),
)
#: A page made here (an error) may run nothing and load nothing but its own inline style.
_ERROR_STYLE = (
    "body{font:17px/1.5 system-ui,sans-serif;margin:0;padding:32px 20px;color:#1f2328;background:#f6f8fa}"
    "h1{font-size:22px;margin:0 0 12px}p{margin:0 0 10px}"
)


def inline_hash(text: str) -> str:
    """The CSP source of one inline `<script>` or `<style>` block: 'sha256-…'."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page_policy(page: str) -> str:
    """A strict Content-Security-Policy for `page`: only its own inline script and style run, only this
    server is asked, nothing may frame it, post a form, or load from elsewhere."""
    scripts = " ".join(inline_hash(s) for s in re.findall(r"<script>(.*?)</script>", page, re.S))
    styles = " ".join(inline_hash(s) for s in re.findall(r"<style>(.*?)</style>", page, re.S))
    return (f"default-src 'none'; script-src {scripts or chr(39) + 'none' + chr(39)}; "
            f"style-src {styles or chr(39) + 'none' + chr(39)}; img-src 'self' blob:; connect-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


ERROR_POLICY = (f"default-src 'none'; style-src {inline_hash(_ERROR_STYLE)}; base-uri 'none'; "
                "form-action 'none'; frame-ancestors 'none'")


def wants_chinese(accept_language: str | None) -> bool:
    """Whether the browser's first language is Chinese (simplified: zh, zh-CN, zh-Hans, zh-SG)."""
    if not accept_language:
        return False
    ranked = []
    for position, item in enumerate(accept_language.split(",")[:32]):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    ranked.sort()
    for _q, _p, tag in ranked:
        if tag.startswith("zh"):
            return tag not in ("zh-tw", "zh-hk", "zh-mo", "zh-hant") and not tag.startswith("zh-hant")
        if tag not in ("*", ""):
            return False
    return False


def problem_page(problem: Problem, chinese: bool) -> bytes:
    """A complete, valid HTML page saying what went wrong (no script, no link to follow)."""
    lang, first = ("zh-CN", 1) if chinese else ("en", 0)
    other = 1 - first
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(problem.title[first])}</title><style>{_ERROR_STYLE}</style></head>"
        f"<body><h1>{html.escape(problem.title[first])}</h1><p>{html.escape(problem.text[first])}</p>"
        f'<p lang="{"en" if chinese else "zh-CN"}">{html.escape(problem.text[other])}</p></body></html>\n'
    ).encode()


def device_name(user_agent: str | None) -> str:
    """A name for the device a browser runs on, from its User-Agent ("iPhone", "Android phone", ...)."""
    agent = user_agent or ""
    for marker, name in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
                         ("Windows", "Windows PC"), ("Macintosh", "Mac"), ("CrOS", "Chromebook"),
                         ("Linux", "Linux PC")):
        if marker in agent:
            if marker == "Android":
                return "Android tablet" if "Mobile" not in agent else "Android phone"
            return name
    return "Browser"
