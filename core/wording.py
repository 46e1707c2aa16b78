"""Django's own messages that Almanac words itself in Chinese.

Django's Simplified Chinese for a too-long value reads "确保该变量包含不超过
200 字符", which speaks of a "variable", and its form labels end in an ASCII
colon ("用户名:") where Chinese uses a full-width one. Listing the messages here
keeps them in locale/zh_Hans/LC_MESSAGES/django.po, and translations under
LOCALE_PATHS win over Django's own. Nothing calls this list.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext_lazy

OVERRIDDEN = [
    gettext_lazy(":"),  # after each form label
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
]
