"""Fetches a shop's logo for its PDFs: the partner's URL, but never a host inside our network.

WeasyPrint would fetch any URL it finds; the documents get their logo from here instead,
inlined as a data: URI, so the renderer itself reaches nothing. A logo that cannot be
fetched (refused, too slow, too big, not an image) leaves the brand name alone on top:
an invoice is never held back by a logo.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import threading
import time
import urllib.request
from urllib.error import URLError
from urllib.parse import urlsplit

import structlog

log = structlog.get_logger(__name__)

FETCH_TIMEOUT = 3.0
MAX_BYTES = 1_000_000
CACHE_SECONDS = 600.0
CACHE_SIZE = 256
RASTER_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
"""No SVG: an SVG can point at further URLs, which the renderer would then fetch."""


class LogoRefused(ValueError):
    """The URL is not one we fetch (scheme, host) or its answer is not a usable image."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to an internal host the first check allowed past: refuse it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def check_public(url: str) -> None:
    """Raise LogoRefused unless ``url`` is http(s) on a host whose every address is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LogoRefused("only absolute http or https URLs are fetched")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise LogoRefused(f"host not found: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise LogoRefused(f"{parts.hostname} is not a public host")


class LogoFetcher:
    """Logos as data: URIs, kept a while per URL (many invoices of a shop share one)."""

    def __init__(
        self,
        *,
        timeout: float = FETCH_TIMEOUT,
        max_bytes: int = MAX_BYTES,
        cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.cache_seconds = cache_seconds
        self._opener = urllib.request.build_opener(_NoRedirects())
        self._cache: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def data_uri(self, url: str | None) -> str | None:
        """The logo inlined, or None when there is none or it cannot be had."""
        if not url:
            return None
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and now - cached[0] < self.cache_seconds:
            return cached[1]
        try:
            uri: str | None = self._fetch(url)
        except (LogoRefused, URLError, OSError, ValueError) as error:
            log.warning("logo_not_fetched", url=url, error=str(error))
            uri = None
        with self._lock:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[url] = (now, uri)
        return uri

    def _fetch(self, url: str) -> str:
        check_public(url)
        request = urllib.request.Request(url, headers={"Accept": "image/*"})  # noqa: S310 - scheme checked above
        with self._opener.open(request, timeout=self.timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in RASTER_TYPES:
                raise LogoRefused(f"not a raster image: {content_type}")
            data = response.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise LogoRefused(f"larger than {self.max_bytes} bytes")
        return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
