"""Translations through the standard gettext machinery: one catalog (duban/locale/*/duban.mo)
for every interface. Chinese where the locale is Chinese, English otherwise, or as chosen."""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

from duban.text.glyphs import plain

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "duban"
LANGUAGES = ("zh", "en")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def default_language() -> str:
    """zh when the user's locale is Chinese (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else en."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        found = locale.getlocale()[0] or ""
    except ValueError:
        found = ""
    return "zh" if found.lower().startswith("zh") else "en"


def set_language(language: str | None) -> str:
    """Install the catalog for `language` (zh or en; None: from the locale); returns it."""
    global _current, _language
    chosen = language or default_language()
    _language = chosen
    if chosen == "zh":
        _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
    else:
        _current = gettext.NullTranslations()
    return chosen


def language() -> str:
    """The language set_language() installed: zh or en."""
    return _language


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; `_()` translates it where shown."""
    return message


# Each translation goes through plain(): in ASCII output (--ascii, a legacy console) a message's
# own "……", quotes and marks are ASCII, as the glyphs are (duban/text/glyphs.py).
def _(message: str) -> str:
    return plain(_current.gettext(message))


def pgettext(context: str, message: str) -> str:
    """The same English word translated differently by use ("tasks" as a count, not a list)."""
    return plain(_current.pgettext(context, message))


def ngettext(singular: str, plural: str, count: int) -> str:
    return plain(_current.ngettext(singular, plural, count))
