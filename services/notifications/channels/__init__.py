"""Delivery channels, one module each: email (SMTP), sms (HTTP gateway), zalo (ZNS), webhook, file and console.

`channels_from_config` builds the channels a deployment enabled (`NOTIFICATION_CHANNELS`) plus webhooks.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.common.config import env, value_of
from services.notifications.channels.base import Batching, Channel, DeliveryError
from services.notifications.channels.console import ConsoleChannel
from services.notifications.channels.email import EmailChannel, SmtpSettings
from services.notifications.channels.file import FileChannel
from services.notifications.channels.sms import DEFAULT_FIELDS, SmsChannel, SmsSettings
from services.notifications.channels.webhook import WebhookChannel
from services.notifications.channels.zalo import ZaloChannel, ZaloSettings

__all__ = ["Batching", "Channel", "DeliveryError", "build", "channels_from_config", "pairs"]

NAMES = ("email", "sms", "zalo", "file", "console")


def pairs(text: str) -> dict[str, str]:
    """'a=1,b=2' → {'a': '1', 'b': '2'}"""
    items = [item.split("=", 1) for item in text.split(",") if item.strip()]
    if any(len(item) != 2 for item in items):
        raise ValueError(f"expected name=value pairs separated by commas, got {text!r}")
    return {name.strip(): value.strip() for name, value in items}


def _flag(name: str, config: Mapping[str, Any]) -> bool:
    return value_of(name, config).strip().lower() in ("1", "true", "yes")


def build(name: str, config: Mapping[str, Any]) -> Channel:
    timeout = float(value_of("NOTIFICATION_SEND_TIMEOUT_SECONDS", config))
    if name == "email":
        return EmailChannel(SmtpSettings(
            host=value_of("SMTP_HOST", config), port=int(value_of("SMTP_PORT", config)),
            sender=value_of("SMTP_FROM", config), sender_name=value_of("SMTP_FROM_NAME", config),
            starttls=_flag("SMTP_STARTTLS", config), username=env("SMTP_USERNAME", config),
            password=env("SMTP_PASSWORD", config), timeout=timeout, ca_file=env("SMTP_CA_FILE", config)))
    if name == "sms":
        url = env("SMS_GATEWAY_URL", config)
        body_format = value_of("SMS_BODY_FORMAT", config)
        long_text = value_of("SMS_LONG_TEXT", config)
        if not url or body_format not in ("json", "form") or long_text not in ("split", "shorten"):
            raise ValueError("the sms channel needs SMS_GATEWAY_URL, SMS_BODY_FORMAT json or form, "
                             "SMS_LONG_TEXT split or shorten")
        return SmsChannel(SmsSettings(
            url=url, body_format=body_format, fields={**DEFAULT_FIELDS, **pairs(value_of("SMS_FIELDS", config))},
            username=env("SMS_USERNAME", config) or "", password=env("SMS_PASSWORD", config) or "",
            brand=value_of("SMS_BRAND_NAME", config), strip_diacritics=_flag("SMS_STRIP_DIACRITICS", config),
            max_length=int(value_of("SMS_MAX_LENGTH", config)), long_text=long_text, timeout=timeout))
    if name == "zalo":
        token = env("ZALO_ACCESS_TOKEN", config)
        if not token:
            raise ValueError("the zalo channel needs ZALO_ACCESS_TOKEN")
        return ZaloChannel(ZaloSettings(url=value_of("ZALO_ZNS_URL", config), access_token=token,
                                        template_ids=pairs(value_of("ZALO_TEMPLATE_IDS", config)), timeout=timeout))
    if name == "file":
        return FileChannel(config["NOTIFICATION_FILE"])
    if name == "console":
        return ConsoleChannel()
    raise ValueError(f"unknown notification channel {name!r}: use {', '.join(NAMES)}")


def channels_from_config(config: Mapping[str, Any]) -> dict[str, Channel]:
    """The enabled channels by name, and the webhook channel."""
    names = [n.strip().lower() for n in value_of("NOTIFICATION_CHANNELS", config).split(",") if n.strip()]
    channels: dict[str, Channel] = {name: build(name, config) for name in names}
    channels["webhook"] = WebhookChannel(float(value_of("NOTIFICATION_SEND_TIMEOUT_SECONDS", config)))
    return channels
