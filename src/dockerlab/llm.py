"""A minimal client for OpenAI-compatible chat completions APIs (hosted, Ollama, llama.cpp).

Bounded and private:

- ``timeout`` is the total time for the whole answer, however slowly it drips in;
- the API key goes only to the host it is meant for (``LLMSettings.api_key_host``),
  never along a redirect;
- a base_url that is neither https nor loopback gets a warning: the notes travel
  in clear text.
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .config import LLMSettings
from .errors import DockerlabError


@dataclass(frozen=True)
class Completion:
    """The model's answer and why it stopped (``finish_reason``; None if not reported)."""

    content: str
    finish_reason: str | None


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(url: str) -> str:
    """The host part of ``url``, lower-cased."""
    return (urlsplit(url).hostname or "").lower()


def privacy_warnings(settings: LLMSettings, lang: str = "en") -> list[str]:
    """Warnings about where the notes and the key would go (empty when all is well)."""
    from .i18n import t

    warnings = []
    parts = urlsplit(settings.base_url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" and not is_loopback(host):
        warnings.append(t(lang, "llm.plain_http", url=settings.base_url))
    if settings.api_key and not key_allowed(settings):
        warnings.append(t(lang, "llm.key_host", key_host=settings.api_key_host, host=host))
    return warnings


def key_allowed(settings: LLMSettings) -> bool:
    """True if the API key may be sent to ``base_url``'s host."""
    return bool(settings.api_key_host) and url_host(settings.base_url) == settings.api_key_host


def chat_completion(settings: LLMSettings, messages: list[dict[str, str]]) -> Completion:
    """Send ``messages`` to ``{base_url}/chat/completions`` and return the answer.

    Every failure (unreachable server, HTTP error, unexpected JSON, empty
    answer, no complete answer within ``timeout`` seconds in total) becomes a
    one-line ``DockerlabError``.
    """
    url = f"{settings.base_url}/chat/completions"
    headers = {"Content-Type": "application/json"}
    if settings.api_key and key_allowed(settings):
        headers["Authorization"] = f"Bearer {settings.api_key}"
    payload: dict[str, Any] = {
        "model": settings.model,
        "messages": messages,
        # Low temperature: a faithful summary of a log, not creative writing.
        "temperature": 0.2,
        "stream": False,
    }
    status, body = _post_within(url, payload, headers, settings.timeout)
    text = body.decode("utf-8", errors="replace")
    if status >= 400:
        raise DockerlabError(
            "the LLM endpoint answered HTTP {status}: {body}",
            status=status,
            body=_one_line(text) or "(empty body)",
        )
    try:
        choice = json.loads(text)["choices"][0]
        content = choice["message"]["content"]
        finish = choice.get("finish_reason")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise DockerlabError(
            "the LLM endpoint gave no choices[0].message.content: {body}", body=_one_line(text)
        ) from None
    if not isinstance(content, str) or not content.strip():
        raise DockerlabError("the LLM endpoint returned an empty answer")
    return Completion(content, finish if isinstance(finish, str) else None)


def _post_within(
    url: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
) -> tuple[int, bytes]:
    """POST and read the whole response within ``timeout`` seconds in total.

    httpx's timeouts apply to each read, so an answer dripping in slowly would
    never time out; the request runs in a worker thread that the caller stops
    waiting for at the deadline (and which gives up at its next chunk).
    """
    import httpx  # imported here: it costs ~0.1 s, which every `run` and `note` would pay

    deadline = time.monotonic() + timeout
    result: dict[str, Any] = {}
    cancelled = threading.Event()

    def work() -> None:
        try:
            with httpx.Client(timeout=timeout, follow_redirects=False) as client:
                with client.stream("POST", url, json=payload, headers=headers) as response:
                    chunks = []
                    for chunk in response.iter_bytes():
                        if cancelled.is_set():
                            return
                        chunks.append(chunk)
                    result["answer"] = (response.status_code, b"".join(chunks))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=work, name="dockerlab-llm", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    base = url.rsplit("/chat/completions", 1)[0]
    if worker.is_alive():
        cancelled.set()
        raise DockerlabError(
            "the LLM endpoint {url} did not finish its answer within {seconds} s "
            "(llm.timeout is the total time)",
            url=base,
            seconds=f"{timeout:g}",
        )
    error = result.get("error")
    if isinstance(error, httpx.TimeoutException):
        raise DockerlabError(
            "the LLM endpoint {url} did not answer within {seconds} s",
            url=base,
            seconds=f"{timeout:g}",
        ) from None
    if isinstance(error, httpx.HTTPError):
        raise DockerlabError(
            "cannot reach the LLM endpoint {url}: {reason}",
            url=base,
            reason=_one_line(str(error)) or type(error).__name__,
        ) from None
    if error is not None:
        raise error
    return result["answer"]
