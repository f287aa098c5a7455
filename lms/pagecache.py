"""Whole public pages kept per worker, under a key that names everything they show.

Anonymous visitors of the catalogue, a course page or a certificate's verification page
all see the same page for the same language and data. Rendering it costs several times
what reading the data's version costs, so the rendered HTML is kept in a bounded LRU per
worker process. The key holds the endpoint, the path, the language and a version the view
reads from the database in one small query (the courses' content hashes, or the
certificate's row). Every worker therefore sees a change with its next request: there is
nothing to invalidate and no shared cache server to run. A page is stored only if the
version read again after rendering is unchanged, so a change committed while the page was
being rendered cannot be stored under the older version (a listing toggled back would
otherwise bring the wrong page back). Requests with a query string are not cached: no
cached view reads one, and every `?utm_…` variant would push useful pages out.

Such pages carry no per-visitor part: the language switcher needs no CSRF token for
visitors who are not signed in (i18n.switch_language), so these pages start no session. A
page in which a CSRF token turns up anyway (a form added later) is never kept, since the
token belongs to one visitor. Pages are never cached for signed-in users, nor while a
flash message waits to be shown.
"""

import threading
from collections import OrderedDict

from flask import current_app, g, request, session
from flask_login import current_user

from .i18n.locale import current_locale_code


class PageCache:
    """A thread-safe LRU of rendered pages, bounded by the bytes their text takes as UTF-8."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self._pages = OrderedDict()  # key -> (html, bytes counted)
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                return None
            self._pages.move_to_end(key)
            return entry[0]

    def put(self, key, html):
        # Python keeps Arabic or Cyrillic text at two bytes a character; UTF-8 is a fair, stable measure.
        cost = len(html.encode()) + len(repr(key))
        if cost > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._pages[key] = (html, cost)
            self.size += cost
            while self.size > self.max_bytes:
                _key, (_html, evicted) = self._pages.popitem(last=False)
                self.size -= evicted

    def __len__(self):
        with self._lock:
            return len(self._pages)


def init_app(app):
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_MAX_BYTES"])


def public_page(render, read_version, version=None):
    """The page render() returns, from the cache while its version and the visitor's language are unchanged.

    read_version() returns something new whenever anything the page shows changes; it is
    called only for pages that may be cached (and again after rendering, on a miss).
    `version` passes one the view has read already. render() must depend on nothing else
    but the request's path and language.
    """
    cache = current_app.extensions["page_cache"]
    if current_user.is_authenticated or request.query_string or "_flashes" in session or not cache.max_bytes:
        return render()
    if version is None:
        version = read_version()
    key = (request.endpoint, request.path, current_locale_code(), version)
    html = cache.get(key)
    if html is None:
        html = render()
        if not isinstance(html, str):
            raise TypeError("public_page caches rendered HTML, not responses")
        token = g.get("csrf_token")  # where Flask-WTF keeps a token it made for this request
        if token and token in html:
            return html  # a form carries this visitor's token: the page is theirs alone
        if read_version() == version:
            cache.put(key, html)
    return html
