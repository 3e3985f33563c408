"""Settings from the environment or .env (pydantic-settings), named as in INTERFACE.md."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(Path("./var"), validation_alias=_env("PARTICIPATIEBOT_DATA_DIR"))
    database_url: str | None = Field(None, validation_alias=_env("PARTICIPATIEBOT_DATABASE_URL"))
    now: datetime | None = Field(None, validation_alias=_env("PARTICIPATIEBOT_NOW"))
    http_port: int = Field(8080, validation_alias=_env("PARTICIPATIEBOT_HTTP_PORT"))
    http_host: str = Field("127.0.0.1", validation_alias=_env("PARTICIPATIEBOT_HTTP_HOST"))
    # unset: the address the server binds to (links in mail must lead somewhere that answers)
    public_url: str = Field("", validation_alias=_env("PARTICIPATIEBOT_PUBLIC_URL"))
    # who may show the web chat in an <iframe> (CSP frame-ancestors), e.g. the gemeente's site
    frame_ancestors: str = Field("'none'", validation_alias=_env("PARTICIPATIEBOT_FRAME_ANCESTORS"))
    advisor_email: str | None = Field(None, validation_alias=_env("PARTICIPATIEBOT_ADVISOR_EMAIL"))
    telegram_token: str | None = Field(None, validation_alias=_env("TELEGRAM_TOKEN"))
    telegram_base_url: str = Field(
        "https://api.telegram.org/bot", validation_alias=_env("TELEGRAM_BASE_URL")
    )
    telegram_webhook_url: str | None = Field(None, validation_alias=_env("TELEGRAM_WEBHOOK_URL"))
    telegram_webhook_secret: str | None = Field(
        None, validation_alias=_env("TELEGRAM_WEBHOOK_SECRET")
    )
    slack_bot_token: str | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: str | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str = Field("https://slack.com/api/", validation_alias=_env("SLACK_API_URL"))
    teams_app_id: str | None = Field(None, validation_alias=_env("TEAMS_APP_ID"))
    teams_app_password: str | None = Field(None, validation_alias=_env("TEAMS_APP_PASSWORD"))
    teams_tenant_id: str | None = Field(None, validation_alias=_env("TEAMS_TENANT_ID"))
    teams_anonymous: bool = Field(False, validation_alias=_env("PARTICIPATIEBOT_TEAMS_ANONYMOUS"))
    smtp_host: str | None = Field(None, validation_alias=_env("SMTP_HOST"))
    smtp_port: int | None = Field(None, validation_alias=_env("SMTP_PORT"))
    smtp_username: str | None = Field(None, validation_alias=_env("SMTP_USERNAME"))
    smtp_password: str | None = Field(None, validation_alias=_env("SMTP_PASSWORD"))
    smtp_starttls: bool = Field(False, validation_alias=_env("SMTP_STARTTLS"))
    mail_from: str = Field("participatiebot@example.org", validation_alias=_env("MAIL_FROM"))
    telegram_rate: float = Field(30, validation_alias=_env("PARTICIPATIEBOT_TELEGRAM_RATE"))
    slack_rate: float = Field(1, validation_alias=_env("PARTICIPATIEBOT_SLACK_RATE"))
    teams_rate: float = Field(2, validation_alias=_env("PARTICIPATIEBOT_TEAMS_RATE"))
    # serve keeps its threads on one core (handreiking/cores.py); off where the cores are shared
    # with others and one cannot be chosen, as in a container with a CPU quota
    one_core: bool = Field(True, validation_alias=_env("PARTICIPATIEBOT_ONE_CORE"))

    @model_validator(mode="after")
    def _public_url_follows_host_and_port(self) -> Settings:
        if not self.public_url:
            host = "localhost" if self.http_host in ("0.0.0.0", "::", "") else self.http_host
            host = f"[{host}]" if ":" in host else host
            self.public_url = f"http://{host}:{self.http_port}"
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'participatiebot.db'}"

    @property
    def plans_dir(self) -> Path:
        return self.data_dir / "plans"

    @property
    def profiles_dir(self) -> Path:
        return self.data_dir / "profiles"

    @property
    def slack_enabled(self) -> bool:
        """Slack runs with a bot token plus a way in: a signing secret (HTTP) or an app token."""
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    @property
    def teams_enabled(self) -> bool:
        """Teams runs with an app id (a Bot Framework registration), or anonymously for tests."""
        return bool(self.teams_app_id or self.teams_anonymous)

    def template_dirs(self, gemeente: str | None) -> list[Path]:
        """A gemeente's own Word templates win over the shipped ones."""
        return [self.data_dir / "templates" / gemeente] if gemeente else []

    def clock(self) -> datetime:
        """'Now' in UTC; PARTICIPATIEBOT_NOW stands in for it in scripted runs and tests."""
        if self.now is None:
            return datetime.now(UTC)
        now = self.now if self.now.tzinfo else self.now.replace(tzinfo=AMSTERDAM)
        return now.astimezone(UTC)

    def today(self) -> date:
        return self.clock().astimezone(AMSTERDAM).date()
