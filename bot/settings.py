"""Configuration: a TOML file, overridable key by key with `WBS_<SECTION>__<KEY>` variables.

Loaded once at start-up and passed down (`build_app(settings)`); nothing reads the environment
or the file later. Errors are reported per key, in plain words, by `describe_errors`.
"""

from __future__ import annotations

import tomllib
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

DEFAULT_SERVICES = [
    "SI IKAN MAS",
    "SIPORA",
    "SIMPEG",
    "SIMAE",
    "E-FORMASI",
    "PPK ONLINE",
    "LAPOR PNS MENINGGAL",
]


class ConfigError(Exception):
    """The configuration cannot be used; the message names the keys and what is wrong."""


def _whole_seconds_or_iso(value: Any) -> Any:
    """Durations are ISO 8601 (`P1D`, `PT30S`) or whole seconds, also as a string (`"30"`)."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BotSection(Section):
    language: Literal["id", "en"] = "id"
    timezone: str = "Asia/Makassar"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (example: Asia/Makassar)") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class TelegramSection(Section):
    token: str = ""
    api_base_url: str = "https://api.telegram.org/bot"
    file_base_url: str = "https://api.telegram.org/file/bot"
    officer_chat_id: int = 0
    officer_user_ids: list[int] = Field(default_factory=list)
    admin_user_ids: list[int] = Field(default_factory=list)
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0:8443"  # where `run` serves the webhook (behind the proxy)
    rate_limit: bool = True


class StorageSection(Section):
    database: Path = Path("data/wbs.sqlite3")


class SecuritySection(Section):
    key_file: Path = Path("data/wbs.key")


class Durations(Section):
    @field_validator("*", mode="before")
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        return _whole_seconds_or_iso(value)


class FormSection(Durations):
    allow_anonymous: bool = True
    services: list[str] = Field(default_factory=lambda: list(DEFAULT_SERVICES), min_length=1)
    draft_ttl: timedelta = timedelta(days=7)

    @field_validator("services")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        cleaned = [s.strip() for s in value]
        if any(not s for s in cleaned):
            raise ValueError("a service name is empty")
        if len({s.casefold() for s in cleaned}) != len(cleaned):
            raise ValueError("a service is listed twice")
        return cleaned


class FollowupSection(Durations):
    evidence_reminder_after: timedelta = timedelta(days=1)
    reminder_interval: timedelta = timedelta(days=2)
    max_reminders: int = Field(default=2, ge=0)
    response_deadline: timedelta = timedelta(days=30)


class SlaSection(Durations):
    acknowledge_within: timedelta = timedelta(days=3)
    resolve_within: timedelta = timedelta(days=60)
    count_working_days: bool = True
    extra_holidays: list[date] = Field(default_factory=list)
    digest_time: time = time(8, 0)
    scan_interval: timedelta = timedelta(seconds=60)


class PrivacySection(Durations):
    erase_identity_after: timedelta = timedelta(days=180)


class WhatsAppSection(Section):
    enabled: bool = False
    phone_number_id: str = ""
    access_token: str = ""
    app_secret: str = ""
    verify_token: str = ""
    api_base_url: str = "https://graph.facebook.com"
    api_version: str = "v23.0"
    listen: str = "127.0.0.1:8080"
    webhook_path: str = "/whatsapp/webhook"
    followup_template: str = ""
    followup_template_language: str = "id"


class Settings(BaseSettings):
    """The whole configuration. Build it with `load_settings(path)`."""

    model_config = SettingsConfigDict(
        env_prefix="WBS_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    bot: BotSection = BotSection()
    telegram: TelegramSection = TelegramSection()
    storage: StorageSection = StorageSection()
    security: SecuritySection = SecuritySection()
    form: FormSection = FormSection()
    followup: FollowupSection = FollowupSection()
    sla: SlaSection = SlaSection()
    privacy: PrivacySection = PrivacySection()
    whatsapp: WhatsAppSection = WhatsAppSection()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment overrides the file, which `load_settings` passes as init values.
        return env_settings, init_settings

    def resolved(self, base: Path) -> Settings:
        """Paths relative to the config file's folder, as the documentation promises."""

        def under(path: Path) -> Path:
            return path if path.is_absolute() else (base / path).resolve()

        return self.model_copy(
            update={
                "storage": self.storage.model_copy(
                    update={"database": under(self.storage.database)}
                ),
                "security": self.security.model_copy(
                    update={"key_file": under(self.security.key_file)}
                ),
            }
        )

    def problems_for_running(self) -> list[str]:
        """What a valid file still lacks before the Telegram bot can start."""
        problems = []
        if not self.telegram.token:
            problems.append(
                "telegram.token: empty. Put the token from @BotFather here "
                "or in the environment variable WBS_TELEGRAM__TOKEN."
            )
        if self.telegram.officer_chat_id == 0:
            problems.append(
                "telegram.officer_chat_id: not set. Put the officers' group id here "
                "(a negative number such as -1001234567890)."
            )
        if self.telegram.webhook_url and len(self.telegram.webhook_secret) < 16:
            problems.append(
                "telegram.webhook_secret: needed with telegram.webhook_url (at least 16 "
                "characters of A-Z, a-z, 0-9, _ and -), so that only Telegram can post updates."
            )
        if self.whatsapp.enabled:
            for key in ("phone_number_id", "access_token", "app_secret", "verify_token"):
                if not getattr(self.whatsapp, key):
                    problems.append(f"whatsapp.{key}: empty, but whatsapp.enabled is true.")
        return problems


def load_settings(path: Path | None) -> Settings:
    """Read the TOML file (if any), apply the environment, resolve paths; raise ConfigError."""
    data: dict[str, Any] = {}
    base = Path.cwd()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: no such file. Copy config.example.toml to start.") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}).") from exc
        base = path.resolve().parent
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError("\n".join(describe_errors(exc))) from None
    return settings.resolved(base)


def describe_errors(error: ValidationError) -> list[str]:
    """One plain line per wrong key: `section.key: what is wrong (you wrote: …)`."""
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            message = "unknown key (a typo? see config.example.toml)"
        else:
            message = item["msg"].removeprefix("Value error, ")
        given = item.get("input")
        shown = "" if isinstance(given, dict) or given is None else f" (you wrote: {given!r})"
        lines.append(f"{key}: {message}{shown}")
    return lines
