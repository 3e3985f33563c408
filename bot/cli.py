"""The `participatiebot` command line (typer): chat, render, plans and db, as INTERFACE.md says."""

from __future__ import annotations

import asyncio
import getpass
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
import yaml
from pydantic import ValidationError

from bot.app import build_engine
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.storage import Store

try:  # typer >= 0.20 carries its own copy of click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exc

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="participatiebot: participatieplannen maken, bijhouden en verantwoorden.",
)
plans_app = typer.Typer(no_args_is_help=True, help="Plannen bekijken, exporteren en verwijderen.")
db_app = typer.Typer(no_args_is_help=True, help="De database.")
app.add_typer(plans_app, name="plans")
app.add_typer(db_app, name="db")


class Failure(Exception):
    """A failure the user can act on: printed as one line, exit 1."""


class UsageFailure(Failure):
    """Wrong usage: printed as one line, exit 2."""


def _settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as e:
        err = e.errors()[0]
        name = ".".join(str(p) for p in err["loc"]) or "instelling"
        raise Failure(f"ongeldige instelling {name}: {err['msg']}") from None
    _log_to_file(settings)
    return settings


def _log_to_file(settings: Settings) -> None:
    """Details of failures go to <data dir>/logs/, so the terminal shows one clear line."""
    root = logging.getLogger()
    if any(getattr(h, "_participatiebot", False) for h in root.handlers):
        return
    try:
        log_dir = settings.data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_dir / "participatiebot.log")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._participatiebot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _store(settings: Settings):
    from bot.storage import Store

    try:
        return Store(settings.db_url, clock=settings.clock)
    except Exception as e:  # the database is an outside system: say what failed, in one line
        raise Failure(
            f"kan de database niet openen ({settings.db_url}): {_first_line(e)}"
        ) from None


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else e.__class__.__name__


def _check_gemeente(gemeente: str | None, settings: Settings) -> str | None:
    if gemeente is None:
        return None
    from handreiking.profiles import available_profiles

    known = available_profiles(settings.profiles_dir)
    key = gemeente.strip().lower().replace(" ", "-")
    if key not in known:
        raise UsageFailure(f"onbekende gemeente '{gemeente}'; kies uit: {', '.join(sorted(known))}")
    return key


@app.command()
def chat(
    gemeente: str | None = typer.Option(None, "--gemeente", help="gemeente van een nieuw plan"),
    naam: str | None = typer.Option(None, "--naam", help="je naam (standaard: je loginnaam)"),
    plan: str | None = typer.Option(None, "--plan", help="verder met dit plan"),
    nieuw: bool = typer.Option(False, "--nieuw", help="begin een nieuw plan"),
) -> None:
    """Het interview in de terminal; van een pipe: één antwoord per regel."""
    from bot.channels.console import run_console
    from bot.engine import PlanNotFound

    if plan and nieuw:
        raise UsageFailure("gebruik --plan of --nieuw, niet allebei")
    settings = _settings()
    gemeente = _check_gemeente(gemeente, settings)
    naam = naam or _login_name()
    store = _store(settings)
    engine = build_engine(store, settings)
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")
    try:
        code = asyncio.run(
            run_console(
                engine, f"console:{naam}", naam=naam, gemeente=gemeente, plan_id=plan, new=nieuw
            )
        )
    except PlanNotFound:
        raise Failure(f"plan '{plan}' niet gevonden bij {naam}") from None
    except KeyboardInterrupt:
        print("\nAlles is bewaard.", file=sys.stderr)
        code = 3
    finally:
        store.close()
    raise typer.Exit(code)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "gebruiker"


@app.command()
def render(
    file: Path = typer.Argument(
        ..., help="antwoorden (JSON of YAML, zoals 'plans export' ze geeft)"
    ),
    out: Path = typer.Option(..., "--out", help="map voor de documenten"),
    gemeente: str | None = typer.Option(None, "--gemeente", help="regels en sjablonen van"),
) -> None:
    """Documenten maken uit een bewaarde antwoordenset."""
    from handreiking import documents, rules
    from handreiking.models import Plan
    from handreiking.profiles import STANDAARD, load_profile

    settings = _settings()
    gemeente = _check_gemeente(gemeente, settings)
    if not file.is_file():
        raise Failure(f"bestand niet gevonden: {file}")
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise Failure(f"{file} is geen geldige JSON of YAML: {_first_line(e)}") from None
    if isinstance(raw, dict) and isinstance(raw.get("antwoorden"), dict):
        raw = raw["antwoorden"]
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise Failure(f"{file}: ongeldig antwoord bij '{where}': {err['msg']}") from None
    key = gemeente or plan.gemeente or STANDAARD
    if gemeente:
        plan.gemeente = gemeente
    try:
        profile = load_profile(key, settings.profiles_dir)
    except KeyError:
        raise Failure(f"onbekende gemeente '{key}' in {file}") from None
    findings = rules.check(plan, profile, settings.today())
    try:
        paths = documents.render_documents(
            plan, profile, findings, out, settings.template_dirs(plan.gemeente)
        )
    except documents.DocumentError as e:
        raise Failure(str(e)) from None
    except OSError as e:
        raise Failure(f"kan niet schrijven in {out}: {e.strerror}") from None
    for p in paths:
        print(p)


@plans_app.command("list")
def plans_list(gemeente: str | None = typer.Option(None, "--gemeente")) -> None:
    """Alle plannen in één oogopslag."""
    settings = _settings()
    gemeente = _check_gemeente(gemeente, settings)
    store = _store(settings)
    try:
        for p in store.plans(gemeente=gemeente):
            titel = p.titel or "(nog zonder naam)"
            print(f"{p.id}\t{p.gemeente or '-'}\t{p.status}\t{p.owner}\t{titel}")
    finally:
        store.close()


def _load_plan(plan_id: str, gemeente: str | None):
    """The settings and the plan; a plan of another gemeente than asked is 'not found'."""
    settings = _settings()
    gemeente = _check_gemeente(gemeente, settings)
    store = _store(settings)
    try:
        record = store.plan(plan_id)
    finally:
        store.close()
    if record is None or (gemeente and record.gemeente != gemeente):
        raise Failure(f"plan '{plan_id}' niet gevonden")
    return settings, record


@plans_app.command("show")
def plans_show(
    plan_id: str = typer.Argument(..., metavar="ID"),
    gemeente: str | None = typer.Option(None, "--gemeente"),
) -> None:
    """Eén plan: de antwoorden en de bevindingen."""
    from bot.engine.conversation import load_conversation
    from bot.engine.display import display_value
    from handreiking import rules
    from handreiking.models import Plan
    from handreiking.profiles import profile_for

    settings, record = _load_plan(plan_id, gemeente)
    plan = Plan.model_validate(record.data)
    profile = profile_for(record.data, settings.profiles_dir)
    print(f"{record.id}: {record.titel or '(nog zonder naam)'}")
    print(
        f"gemeente: {record.gemeente or '-'} · status: {record.status} · eigenaar: {record.owner}"
    )
    for q in load_conversation().questions:
        if q.key in record.data and record.data[q.key] not in (None, [], ""):
            print(f"- {q.key}: {display_value(q, record.data[q.key], profile)}")
    for f in rules.check(plan, profile, settings.today()):
        extra = f" (afwijking: {f.afwijking})" if f.afwijking else ""
        print(f"! {f.soort}: {f.tekst}{extra}")


@plans_app.command("export")
def plans_export(
    plan_id: str = typer.Argument(..., metavar="ID"),
    gemeente: str | None = typer.Option(None, "--gemeente"),
) -> None:
    """De antwoorden van een plan als JSON (wat 'render' weer leest)."""
    from handreiking.models import Plan

    _, record = _load_plan(plan_id, gemeente)
    plan = Plan.model_validate(record.data)
    data = plan.model_dump(mode="json", exclude_none=True)
    print(json.dumps(data, ensure_ascii=False, indent=2))


@plans_app.command("delete")
def plans_delete(
    plan_id: str = typer.Argument(..., metavar="ID"),
    gemeente: str | None = typer.Option(None, "--gemeente"),
) -> None:
    """Een plan en zijn documenten verwijderen."""
    import shutil

    settings, _record = _load_plan(plan_id, gemeente)
    store = _store(settings)
    try:
        store.delete_plan(plan_id)
    finally:
        store.close()
    shutil.rmtree(settings.plans_dir / plan_id, ignore_errors=True)
    print(f"plan {plan_id} verwijderd")


@plans_app.command("vaststellen")
def plans_vaststellen(
    plan_id: str = typer.Argument(..., metavar="ID"),
    datum: str = typer.Option(..., "--datum", help="datum van het besluit, bijv. 2026-03-12"),
    besluit: str | None = typer.Option(None, "--besluit", help="kenmerk van het besluit"),
    gemeente: str | None = typer.Option(None, "--gemeente"),
) -> None:
    """Vastleggen dat college of raad het plan heeft vastgesteld (zoals op de adviseurspagina)."""
    from bot.features.review import Refused, adopted_nr, vaststellen
    from handreiking import parsing
    from handreiking.formatting import datum as dutch_date

    settings, _record = _load_plan(plan_id, gemeente)
    try:
        when = parsing.parse_date(datum, settings.today())
    except parsing.ParseError:
        raise UsageFailure(f"kan de datum '{datum}' niet lezen; schrijf bijv. 2026-03-12") from None
    if when > settings.today():
        raise UsageFailure(f"de datum van het besluit ({when.isoformat()}) ligt in de toekomst")
    store = _store(settings)
    try:
        version = vaststellen(settings, store, plan_id, when, besluit, f"console:{_login_name()}")
        nr = adopted_nr(store, version)
    except Refused as e:
        raise Failure(str(e)) from None
    finally:
        store.close()
    kenmerk = f", besluit {version.besluit}" if version.besluit else ""
    print(f"plan {plan_id} vastgesteld op {dutch_date(when)}{kenmerk} (versie {nr})")
    public = settings.plans_dir / plan_id / "participatieplan-openbaar.docx"
    if public.is_file():
        print(public)


@app.command()
def serve() -> None:
    """Alle ingestelde kanalen, de HTTP-server en de herinneringen in één proces."""
    from bot.serve import ServeError, run

    settings = _settings()
    try:
        run(settings)
    except ServeError as e:
        raise Failure(str(e)) from None


@app.command("teams-manifest")
def teams_manifest(
    out: Path = typer.Option(..., "--out", help="de map waarin het zip-bestand komt"),
) -> None:
    """Het Teams-app-pakket (manifest.json en iconen, gezipt) voor het Teams-beheercentrum."""
    from bot.app import registry
    from bot.channels.teams import TeamsSetupError, write_package

    try:
        print(write_package(_settings(), out, registry()))
    except TeamsSetupError as e:
        raise Failure(str(e)) from None
    except OSError as e:
        raise Failure(f"kan {out} niet schrijven: {e.strerror or e}") from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Alle migraties toepassen."""
    from bot.storage.store import upgrade

    settings = _settings()
    if settings.db_url.startswith("sqlite:///"):
        Path(settings.db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        upgrade(settings.db_url)
    except Exception as e:
        raise Failure(f"migratie mislukt: {_first_line(e)}") from None
    print("database bijgewerkt")


# --- reminders: what is due, and sending it once (for cron) ----------------------
reminders_app = typer.Typer(no_args_is_help=True, help="Herinneringen en berichten versturen.")
app.add_typer(reminders_app, name="reminders")
AT_HELP = "doe alsof het dan is: 2026-03-02 (09:00) of 2026-03-02T10:00"


def _at(at: str | None, settings: Settings):
    from bot.features.reminders_worker import parse_at

    if at is None:
        return settings.clock()
    try:
        return parse_at(at)
    except ValueError as e:
        raise UsageFailure(str(e)) from None


@reminders_app.command("due")
def reminders_due(at: str | None = typer.Option(None, "--at", help=AT_HELP)) -> None:
    """Wat er nu (of op --at) klaarstaat om te versturen."""
    from bot.features.reminders_worker import describe, due

    settings = _settings()
    moment = _at(at, settings)
    store = _store(settings)
    try:
        items = due(store, settings, moment)
    finally:
        store.close()
    for line in describe(items):
        print(line)


@reminders_app.command("send")
def reminders_send(at: str | None = typer.Option(None, "--at", help=AT_HELP)) -> None:
    """Versturen wat klaarstaat, en stoppen (voor cron)."""
    from bot.features.reminders_worker import send_once, summary
    from bot.serve import configured_channels

    settings = _settings()
    configured_channels(settings)  # each channel that is on registers its sender with the outbox
    moment = _at(at, settings)
    store = _store(settings)
    try:
        stats = asyncio.run(send_once(settings, store, moment))
    except ConnectionError as e:
        raise Failure(str(e)) from None
    finally:
        store.close()
    print(summary(stats))


# --- end of reminders -------------------------------------------------------------


# --- closing and privacy ----------------------------------------------------------
privacy_app = typer.Typer(no_args_is_help=True, help="Wat er over mensen bewaard is; wissen.")
app.add_typer(privacy_app, name="privacy")


@app.command()
def paragraaf(
    plan_id: str = typer.Argument(..., metavar="ID"),
    out: Path | None = typer.Option(None, "--out", help="map voor participatieparagraaf.docx"),
) -> None:
    """De participatieparagraaf voor een college- of raadsvoorstel (tekst en .docx)."""
    from bot.features import closing
    from handreiking.documents import DocumentError
    from handreiking.paragraaf import paragraaf_tekst

    settings, _record = _load_plan(plan_id, None)
    store = _store(settings)
    try:
        stukken = closing.stukken(store, settings, plan_id)
        print(paragraaf_tekst(stukken.vastgesteld, stukken.afronding, stukken.profile))
        path = closing.write_paragraaf(
            store, settings, plan_id, out or settings.plans_dir / plan_id
        )
    except DocumentError as e:
        raise Failure(str(e)) from None
    except OSError as e:
        raise Failure(f"kan niet schrijven in {out}: {e.strerror}") from None
    finally:
        store.close()
    print(path, file=sys.stderr)


@app.command()
def verslag(
    plan_id: str = typer.Argument(..., metavar="ID"),
    out: Path | None = typer.Option(
        None, "--out", help="map voor participatieverslag-aanvraag.docx en .pdf"
    ),
) -> None:
    """Het participatieverslag voor de aanvraag omgevingsvergunning (tekst, .docx en .pdf)."""
    from bot.features import verslag as verslag_
    from handreiking.documents import DocumentError
    from handreiking.pdf import notice

    settings, _record = _load_plan(plan_id, None)
    store = _store(settings)
    try:
        print(verslag_.tekst(store, settings, plan_id))
        paths = verslag_.write_verslag(
            store, settings, plan_id, out or settings.plans_dir / plan_id
        )
    except DocumentError as e:
        raise Failure(str(e)) from None
    except OSError as e:
        raise Failure(f"kan niet schrijven in {out}: {e.strerror}") from None
    finally:
        store.close()
    for path in paths:
        print(path, file=sys.stderr)
    if message := notice():
        print(message, file=sys.stderr)


@plans_app.command("besluit")
def plans_besluit(
    plan_id: str = typer.Argument(..., metavar="ID"),
    datum: str = typer.Option(..., "--datum", help="datum van het besluit, bijv. 2026-09-10"),
    orgaan: str = typer.Option(..., "--orgaan", help="college of raad"),
    uitkomst: str = typer.Option(..., "--uitkomst", help="wat er besloten is"),
    link: str | None = typer.Option(None, "--link", help="waar het besluit te lezen is"),
) -> None:
    """Het besluit vastleggen en de deelnemers vertellen wat er met hun inbreng is gedaan."""
    from bot.features import closing
    from handreiking import parsing
    from handreiking.afronding import Besluit
    from handreiking.models import Beslisser

    settings, _record = _load_plan(plan_id, None)
    if orgaan not in ("college", "raad"):
        raise UsageFailure(f"--orgaan is college of raad, niet '{orgaan}'")
    try:
        when = parsing.parse_date(datum, settings.today())
    except parsing.ParseError:
        raise UsageFailure(f"kan de datum '{datum}' niet lezen; schrijf bijv. 2026-09-10") from None
    if not uitkomst.strip():
        raise UsageFailure("--uitkomst is leeg")
    besluit = Besluit(datum=when, orgaan=Beslisser(orgaan), uitkomst=uitkomst.strip(), link=link)
    store = _store(settings)
    try:
        done = closing.record_besluit(store, settings, plan_id, besluit, settings.clock())
    finally:
        store.close()
    n = done.deelnemers
    print(f"besluit over plan {plan_id} vastgelegd; {n} deelnemer(s) krijgen een bericht")
    for path in done.documenten:  # written again: they tell the besluit now
        print(path)


PERSOON_HELP = "bijv. telegram:4242, slack:T01/U02, email:naam@example.org of alleen het adres"


def _one_target(plan: str | None, persoon: str | None) -> None:
    if bool(plan) == bool(persoon):
        raise UsageFailure("gebruik --plan ID of --persoon IDENTITEIT (één van beide)")


def _person(store: Store, persoon: str) -> str:
    from bot.features import privacy

    try:
        return privacy.resolve_identity(store, persoon)
    except privacy.UnknownIdentity as e:
        raise UsageFailure(str(e)) from None


@privacy_app.command("export")
def privacy_export(
    plan: str | None = typer.Option(None, "--plan", help="de deelnemers van dit plan"),
    persoon: str | None = typer.Option(None, "--persoon", help=PERSOON_HELP),
) -> None:
    """Wat er bewaard is, als JSON."""
    from bot.features import privacy

    _one_target(plan, persoon)
    if plan:
        settings, _record = _load_plan(plan, None)
    else:
        settings = _settings()
    store = _store(settings)
    try:
        if plan:
            data = privacy.export_plan(store, settings, plan)
        else:
            data = privacy.export_person(store, settings, _person(store, persoon or ""))
    finally:
        store.close()
    print(json.dumps(data, ensure_ascii=False, indent=2))


@privacy_app.command("erase")
def privacy_erase(
    plan: str | None = typer.Option(None, "--plan", help="de deelnemers van dit plan"),
    persoon: str | None = typer.Option(None, "--persoon", help=PERSOON_HELP),
    yes: bool = typer.Option(False, "--yes", help="ja, wis het echt"),
) -> None:
    """Wissen wat er bewaard is (namen, chat-identiteiten, e-mailadressen)."""
    from bot.features import privacy

    _one_target(plan, persoon)
    if not yes:
        raise UsageFailure("wissen kan niet ongedaan worden gemaakt; voeg --yes toe")
    if plan:
        settings, _record = _load_plan(plan, None)
    else:
        settings = _settings()
    store = _store(settings)
    try:
        if plan:
            n = privacy.erase_plan(store, settings, plan)
            print(f"persoonsgegevens van de deelnemers van plan {plan} gewist ({_items(n)})")
        else:
            identity = _person(store, persoon or "")
            n = privacy.erase_person(store, settings, identity)
            if n:
                print(f"gegevens van {identity} gewist ({_items(n)})")
            else:
                print(f"over {identity} is niets bewaard; er is niets gewist")
    finally:
        store.close()


def _items(n: int) -> str:
    """What 'gewist (20)' counted: rows and files."""
    return "1 gegeven of bestand" if n == 1 else f"{n} gegevens en bestanden"


# --- end of closing and privacy ---------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error is one line on stderr; 2 for wrong usage, 1 otherwise."""
    try:
        _log_to_file(Settings())
    except ValidationError:
        pass  # reported in one line by the command itself
    try:
        code = app(args=argv, standalone_mode=False)
    except typer.Exit as e:
        return e.exit_code
    except click_exc.UsageError as e:
        print(f"fout: {e.format_message()}", file=sys.stderr)
        return 2
    except click_exc.ClickException as e:
        print(f"fout: {e.format_message()}", file=sys.stderr)
        return 1
    except typer.Abort:
        print("afgebroken", file=sys.stderr)
        return 1
    except UsageFailure as e:
        print(f"fout: {e}", file=sys.stderr)
        return 2
    except Failure as e:
        print(f"fout: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # last resort: one line for the user, the details in the log
        logging.getLogger("participatiebot").exception("command failed")
        print(f"fout: onverwachte fout: {_first_line(e)}", file=sys.stderr)
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
