"""Settings from environment variables and an optional .env file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.content import CONTENT_DIR
from bot.shards import parse_shards


class ConfigError(Exception):
    """A missing or malformed setting, explained in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field("sqlite+aiosqlite:///rounds.db", alias="ROUNDS_DATABASE_URL")
    content_dir: Path = Field(CONTENT_DIR, alias="ROUNDS_CONTENT_DIR")
    default_pack: str = Field("ir", alias="ROUNDS_DEFAULT_PACK")
    log_level: str = Field("INFO", alias="ROUNDS_LOG_LEVEL")
    database_wait: float = Field(60, alias="ROUNDS_DATABASE_WAIT", ge=0)  # seconds, at start
    retention_days: int = Field(30, alias="ROUNDS_RETENTION_DAYS", ge=1, le=3650)
    # PostgreSQL connections per process: this many kept, as many again at a peak
    database_pool: int = Field(10, alias="ROUNDS_DATABASE_POOL", ge=1, le=200)
    http_port: int = Field(3000, alias="ROUNDS_HTTP_PORT", ge=1, le=65535)
    web_port: int = Field(8080, alias="ROUNDS_WEB_PORT", ge=0, le=65535)  # 0: no web side
    web_host: str = Field("0.0.0.0", alias="ROUNDS_WEB_HOST")
    web_base_url: str | None = Field(None, alias="ROUNDS_WEB_BASE_URL")
    web_secret: str | None = Field(None, alias="ROUNDS_WEB_SECRET")
    smtp_url: str | None = Field(None, alias="ROUNDS_SMTP_URL")  # smtp://user:pass@host:587
    mail_from: str | None = Field(None, alias="ROUNDS_MAIL_FROM")
    discord_token: str | None = Field(None, alias="DISCORD_TOKEN")
    discord_api_base: str | None = Field(None, alias="DISCORD_API_BASE")
    discord_shards: str | None = Field(None, alias="ROUNDS_DISCORD_SHARDS")  # e.g. 0-1/4
    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def web_url(self) -> str:
        """Where people reach the web side (the reverse proxy's https URL in production)."""
        return (self.web_base_url or f"http://localhost:{self.web_port}").rstrip("/")

    @property
    def discord_enabled(self) -> bool:
        return bool(self.discord_token)


def load_settings() -> Settings:
    """Read settings; any problem becomes one ConfigError line naming the variable."""
    try:
        settings = Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "settings"
        raise ConfigError(f"Setting {name}: {err['msg']} (got {err.get('input')!r})") from None
    if settings.slack_bot_token and not (settings.slack_signing_secret or settings.slack_app_token):
        raise ConfigError(
            "Setting SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) "
            "nor SLACK_APP_TOKEN (Socket Mode) is."
        )
    if settings.discord_shards:
        try:
            parse_shards(settings.discord_shards)
        except ValueError as exc:
            raise ConfigError(
                f"Setting ROUNDS_DISCORD_SHARDS: {exc} (got {settings.discord_shards!r})"
            ) from None
    if not settings.database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigError(
            "Setting ROUNDS_DATABASE_URL must start with sqlite+aiosqlite:// or "
            f"postgresql+asyncpg:// (got {settings.database_url.split('://')[0]}://...)"
        )
    return settings
