"""Sending one message through ``apprise`` to one channel address, and telling which kind an address is.

Every kind is an apprise URL: ``mailto://`` / ``mailtos://`` (e-mail), ``dingtalk://``, ``wecombot://``,
``feishu://``, ``json://`` / ``jsons://`` (any JSON web hook; what the tests' local receiver takes), and
``zzding://`` / ``zzdings://`` for 浙政钉 group robots, a plugin of ours (apprise has none): it posts
DingTalk's robot message to the robot's own address on the government network
(``zzdings://host/robot/send?access_token=…``). A JSON hook also receives the delivery's id as the
``X-Pinghu-Delivery`` header, so a receiver can recognise a message sent twice after a worker died.
"""

import logging
import re
from urllib.parse import urlencode

import apprise
import requests
from apprise.decorators import notify as apprise_plugin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import ChannelKind

SCHEMES = {
    "mailto": ChannelKind.EMAIL,
    "mailtos": ChannelKind.EMAIL,
    "dingtalk": ChannelKind.DINGTALK,
    "zzding": ChannelKind.ZZDING,
    "zzdings": ChannelKind.ZZDING,
    "wecombot": ChannelKind.WECOM,
    "feishu": ChannelKind.FEISHU,
    "json": ChannelKind.JSON,
    "jsons": ChannelKind.JSON,
}
TIMEOUT_SECONDS = 10
DELIVERY_HEADER = "X-Pinghu-Delivery"
# Errors may quote the address; its secret parts are not kept in the delivery log.
SECRET_PARTS = re.compile(r"((?:access_token|token|key|secret|sign)=)[^&\s'\"]+|(://)[^/@\s]+@", re.I)


def scrub(text: str) -> str:
    """``text`` with tokens and passwords of addresses blanked out."""
    return SECRET_PARTS.sub(lambda m: (m.group(1) or m.group(2)) + "…" + ("" if m.group(1) else "@"), text)


def _zzding(body, title, meta, scheme: str) -> bool:
    host = meta.get("host", "")
    port = f":{meta['port']}" if meta.get("port") else ""
    query = f"?{urlencode(meta.get('qsd') or {})}" if meta.get("qsd") else ""
    address = f"{scheme}://{host}{port}{meta.get('fullpath') or '/'}{query}"
    message = {"msgtype": "markdown", "markdown": {"title": title or body[:30], "text": body}}
    try:
        answer = requests.post(address, json=message, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        logging.getLogger("apprise").warning("浙政钉 robot unreachable: %s", error)
        return False
    if answer.status_code != 200:
        logging.getLogger("apprise").warning("浙政钉 robot answered HTTP %s", answer.status_code)
        return False
    return True


@apprise_plugin(on="zzding", name="浙政钉 group robot (http)")
def _zzding_http(body, title, notify_type, meta, *args, **kwargs) -> bool:
    return _zzding(body, title, meta, "http")


@apprise_plugin(on="zzdings", name="浙政钉 group robot")
def _zzding_https(body, title, notify_type, meta, *args, **kwargs) -> bool:
    return _zzding(body, title, meta, "https")


def kind_of(url: str) -> str:
    """The channel kind of an address; ``ValidationError`` when apprise cannot use it."""
    scheme = url.partition("://")[0].lower()
    if scheme not in SCHEMES or apprise.Apprise.instantiate(url) is None:
        raise ValidationError(
            _("Not a usable address. Use one of: %(schemes)s") % {"schemes": ", ".join(f"{s}://" for s in SCHEMES)}
        )
    return SCHEMES[scheme]


def send(url: str, *, title: str, body: str, delivery_id: str = "") -> tuple[bool, str]:
    """Send; ``(True, "")`` or ``(False, what went wrong)``. Never raises for a channel's failure."""
    if not url:
        return False, _("The address cannot be read (the encryption key changed?).")
    plugin = apprise.Apprise.instantiate(url, asset=apprise.AppriseAsset(storage_mode="memory"))
    if plugin is None:
        return False, _("Not a usable address.")
    if delivery_id and isinstance(getattr(plugin, "headers", None), dict):
        plugin.headers[DELIVERY_HEADER] = delivery_id
    with apprise.LogCapture(level=logging.WARNING) as captured:
        try:
            ok = plugin.notify(body=body, title=title)
        except Exception as error:  # a plugin's own bug must not kill the worker's loop
            return False, scrub(repr(error))[:1000]
        log = captured.getvalue().strip()
    return bool(ok), "" if ok else scrub(log or _("The channel refused the message."))[-1000:]
