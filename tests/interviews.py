"""Complete scripted interviews (invented data): (a fragment of the question, the answer typed)."""

from __future__ import annotations

from typing import Any


async def answer_script(chat: Any, script: list[tuple[str, str]]) -> None:
    """Answer each scripted question in turn, checking it is the one asked."""
    for frag, answer in script:
        assert frag.lower() in chat.question.text.lower(), (frag, chat.text)
        await chat.say(answer)


async def answer_from(chat: Any, script: list[tuple[str, str]], fragment: str) -> None:
    """Answer the script from the question with this fragment to its end."""
    start = next(i for i, (frag, _) in enumerate(script) if frag == fragment)
    await answer_script(chat, script[start:])


async def answer_until(chat: Any, script: list[tuple[str, str]], fragment: str) -> None:
    """Answer the script up to (not including) the question with this fragment."""
    for frag, answer in script:
        if frag == fragment:
            return
        assert frag.lower() in chat.question.text.lower(), (frag, chat.text)
        await chat.say(answer)
    raise AssertionError(f"{fragment!r} is not in the script")


LEIDEN = [
    ("Hoe heet je opgave", "Herinrichting Lindenplein"),
    ("Wie neemt het initiatief", "gemeente"),
    ("naam van de initiatiefnemer", "Team Openbare Ruimte"),
    ("Wie beslist", "college"),
    ("leefomgeving", "ja"),
    ("veel partijen", "nee"),
    ("veel verschillende belangen", "ja"),
    ("contactpersoon (accounthouder)", "Mirthe Voorbeeld"),
    ("e-mailadres van je contactpersoon", "mirthe.voorbeeld@example.org"),
    ("herinneringen", "eigenaar@example.org"),
    ("Wat is je naam", "Sam Voorbeeld"),
    ("rol bij deze opgave", "projectleider openbare ruimte"),
    ("inhoudelijk al vast", "Gebiedsvisie Lindenkwartier: het plein blijft autoluw & groen."),
    ("financieel vast", "Budget € 250.000 uit het Investeringsfonds Pleinen."),
    ("vast in het proces", "Uitvoering start na de zomervakantie van 2027."),
    (
        "betekenen deze kaders",
        "Er komen geen parkeerplaatsen terug; over bankjes en bomen praat je mee.",
    ),
    ("Wat houdt de opgave in", "Het Lindenplein krijgt nieuwe bestrating, bomen en speelplekken."),
    ("In welk gebied", "Lindenkwartier"),
    ("Hoe groot is het gebied", "buurt"),
    ("beleidsveld", "openbare ruimte en groen"),
    ("Ben je al op de plek", "ja"),
    ("Heb je daar al gepraat", "nee"),
    (
        "Met welke groepen of organisaties",
        "De wijkvereniging Lindenkwartier en basisschool De Linde.",
    ),
    ("maatschappelijke waarde", "Een koeler en groener plein waar buren elkaar ontmoeten."),
    ("Welke regels", "Het omgevingsplan en de bomenverordening gelden."),
    (
        "Wie doet er mee",
        "Bewoners, ondernemers en de wijkvereniging; de gemeente betaalt de studie.",
    ),
    ("Welke belangen spelen mee", "Bereikbaarheid van winkels; relatie met het Mobiliteitsplan."),
    ("kosten en baten", "Kosten € 250.000; baten: minder hittestress."),
    ("ruimte voor participatie", "Inrichting, speelplekken en bankjes liggen open."),
    ("Hoe complex", "Tegengestelde belangen van ondernemers en bewoners over laden en lossen."),
    ("doel van de participatie", "1, 4"),
    ("Welk niveau", "adviseren"),
    ("Waarom past dit niveau", "Bewoners adviseren; het college wijkt alleen met redenen af."),
    ("weeg je de inbreng", "We wegen inbreng op veiligheid, groen en kosten; het college beslist."),
    ("Welke groepen", "Omwonenden Lindenplein\nOndernemers Lindenstraat"),
    ("rol heeft 'Omwonenden Lindenplein'", "co-producent"),
    ("belang van 'Omwonenden Lindenplein'", "Woongenot en spelen"),
    ("rol heeft 'Ondernemers Lindenstraat'", "adviseur"),
    ("belang van 'Ondernemers Lindenstraat'", "overslaan"),
    ("Welke groepen", "klaar"),
    ("jongeren", "Via de basisschool en het jongerenwerk."),
    ("niet vanzelf meepraten", "Huis-aan-huis gesprekken met een tolk."),
    ("taalbarrières", "Flyers in eenvoudige taal, Arabisch en Turks."),
    ("besluit over de opgave", "1 oktober 2026"),
    ("Welke neem je over", "overslaan"),
    ("Welke activiteiten", "bijeenkomst"),
    ("Omschrijf de bijeenkomst", "Ontwerpavond <met> schetsen & koffie"),
    ("Op welke datum is de bijeenkomst", "12 maart 2026"),
    ("Wanneer kondig je de bijeenkomst aan", "ja"),
    ("Waar is de bijeenkomst", "Buurthuis De Linde"),
    ("Hoeveel uur kost de bijeenkomst", "ca. 20"),
    ("Wat kost de bijeenkomst", "€ 1.500,50"),
    ("ander niveau", "overslaan"),
    ("Welke activiteiten", "online inbreng"),
    ("Omschrijf de online inbreng", "Reageren op drie schetsen via het online platform"),
    ("Van wanneer tot wanneer", "1 t/m 29 maart 2026"),
    ("Hoeveel uur kost de online inbreng", "12"),
    ("Wat kost de online inbreng", "1000-2000"),
    ("ander niveau", "raadplegen"),
    ("Welke activiteiten", "klaar"),
    ("Hoe vaak stuur je deelnemers", "ja"),
    ("participatierapportage klaar", "ja"),
    ("Wanneer evalueer je", "ja"),
    ("wat er met hun inbreng", "Een brief aan alle deelnemers en publicatie in het gemeenteblad."),
    (
        "Hoe evalueer je het traject",
        "Een evaluatieformulier aan deelnemers en een sessie met het team.",
    ),
    ("criteria", "Minstens 50 reacties; jongeren deden mee."),
    ("Privacy", "ja"),
    ("ervaringsdeskundigen", "ja"),
    ("Welke vergoeding", "Een cadeaubon van € 25 per avond."),
]


def zonder_extras(script: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The script for a profile without the stakeholderanalyse and with its own middelen:
    no weighing of parties, and no proposed middelen taken over."""
    weighing = ("invloed heeft", "Hoe groot is het belang van", "Wat vindt")
    out = [(f, a) for f, a in script if not f.startswith(weighing)]
    if ("Welke neem je over", "overslaan") in out:
        return out
    start = next(i for i, (f, _) in enumerate(out) if f == "Welke neem je over")
    end = next(i for i, (f, _) in enumerate(out) if f == "Welke activiteiten")
    return [*out[:start], ("Welke neem je over", "overslaan"), *out[end:]]


HEEMSTEDE = [
    ("Hoe heet je opgave", "Speeltuin Bosrand"),
    ("Wie neemt het initiatief", "inwoners"),
    ("naam van de initiatiefnemer", "Buurtgroep Bosrand"),
    ("Wie beslist", "raad"),
    ("leefomgeving", "ja"),
    ("veel partijen", "ja"),
    ("veel verschillende belangen", "nee"),
    ("contactpersoon (accounthouder)", "overslaan"),
    ("herinneringen", "overslaan"),
    ("Wat is je naam", "Noor Testbewoner"),
    ("rol bij deze opgave", "overslaan"),
    ("inhoudelijk al vast", "Het groen langs de bosrand blijft."),
    ("financieel vast", "overslaan"),
    ("vast in het proces", "overslaan"),
    ("betekenen deze kaders", "Er kan niet gebouwd worden in het groen."),
    ("Wat houdt de opgave in", "Een nieuwe natuurspeeltuin aan de Bosrand."),
    ("In welk gebied", "overslaan"),
    ("Hoe groot is het gebied", "straat"),
    ("beleidsveld", "overslaan"),
    ("echt iets veranderen", "ja"),
    ("genoeg tijd", "ja"),
    ("geld en uren", "nee"),
    ("Waarom start je toch", "De buurtgroep zoekt sponsors; de gemeente helpt met uren."),
    ("maatschappelijke waarde", "Kinderen spelen buiten en buren leren elkaar kennen."),
    ("Welke regels", "Bomenkap alleen met vergunning."),
    ("Wie doet er mee", "De buurtgroep, de school en de gemeente; de buurtgroep bouwt mee."),
    ("Welke belangen spelen mee", "Rust voor omwonenden; geen relatie met andere plannen."),
    ("kosten en baten", "€ 40.000 kosten; baten: speelplek voor 200 kinderen."),
    ("ruimte voor participatie", "Ontwerp en onderhoud van de speeltuin."),
    ("Hoe complex", "overslaan"),
    ("doel van de participatie", "samen doen en samen beslissen"),
    ("Welk niveau", "samen beslissen"),
    ("Waarom past dit niveau", "De buurt kiest het ontwerp binnen het budget."),
    ("weeg je de inbreng", "De buurt stemt; de raad stelt het budget vast."),
    ("Welke groepen", "Kinderen van de Bosrandschool"),
    ("rol heeft", "co-producent"),
    ("belang van", "Spelen"),
    ("Welke groepen", "klaar"),
    ("jongeren", "Kinderen tekenen hun droomspeeltuin."),
    ("niet vanzelf meepraten", "We bellen aan bij iedereen in de straat."),
    ("taalbarrières", "overslaan"),
    ("besluit over de opgave", "15-9-2026"),
    ("Welke neem je over", "overslaan"),
    ("Welke activiteiten", "workshop"),
    ("Omschrijf de workshop", "overslaan"),
    ("Op welke datum is de workshop", "ja"),
    ("Wanneer kondig je de workshop aan", "ja"),
    ("Waar is de workshop", "Bosrandschool"),
    ("Hoeveel uur kost de workshop", "weet ik nog niet"),
    ("Wat kost de workshop", "weet ik nog niet"),
    ("ander niveau", "overslaan"),
    ("Welke activiteiten", "klaar"),
    ("Hoe vaak stuur je deelnemers", "6"),
    ("participatierapportage klaar", "1 augustus 2026"),
    ("Wanneer evalueer je", "1 november 2026"),
    ("halverwege", "1 juli 2026"),
    ("wat er met hun inbreng", "Een nieuwsbrief aan de buurt."),
    ("Hoe evalueer je het traject", "Met de buurtgroep na de opening."),
    ("criteria", "overslaan"),
    ("Privacy", "nee"),
    ("Welke persoonsgegevens", "Alleen e-mailadressen, tot de opening; daarna verwijderd."),
    ("ervaringsdeskundigen", "nee"),
    ("samenwerkingsovereenkomst", "ja"),
    ("Wat spreek je daarover af", "De buurtgroep stemt elke stap af met de gemeente."),
]

HEERLEN = [
    ("Hoe heet je opgave", "Ontmoetingsplek Parkstraat"),
    ("Wie neemt het initiatief", "maatschappelijke organisatie"),
    ("naam van de initiatiefnemer", "Stichting Samen Parkstraat"),
    ("Wie beslist", "ambtenaren"),
    ("contactpersoon (accounthouder)", "Jory Testbeeld"),
    ("e-mailadres van je contactpersoon", "jory@example.org"),
    ("herinneringen", "stichting@example.org"),
    ("Wat is je naam", "Jory Testbeeld"),
    ("rol bij deze opgave", "coördinator"),
    ("inhoudelijk al vast", "overslaan"),
    ("financieel vast", "Subsidie van € 5.000."),
    ("vast in het proces", "overslaan"),
    ("betekenen deze kaders", "Het budget is klein: we kiezen samen wat het meest nodig is."),
    ("Wat houdt de opgave in", "Een wekelijkse ontmoetingsochtend voor ouderen."),
    ("In welk gebied", "Parkstraatkwartier"),
    ("Hoe groot is het gebied", "wijk"),
    ("beleidsveld", "zorg en welzijn"),
    ("ruimte voor participatie", "Programma en tijden kiezen de bezoekers."),
    ("doel van de participatie", "samen denken"),
    ("Welk niveau", "raadplegen"),
    ("Waarom past dit niveau", "We vragen wat ouderen willen; de stichting beslist."),
    ("weeg je de inbreng", "Wat het vaakst gevraagd wordt, doen we eerst."),
    ("Welke groepen", "Ouderen in de wijk\nMantelzorgers"),
    ("rol heeft 'Ouderen in de wijk'", "wordt geraadpleegd"),
    ("belang van 'Ouderen in de wijk'", "Minder eenzaamheid"),
    ("invloed heeft 'Ouderen in de wijk'", "midden"),
    ("Hoe groot is het belang van 'Ouderen in de wijk'", "hoog"),
    ("Wat vindt 'Ouderen in de wijk'", "voor"),
    ("rol heeft 'Mantelzorgers'", "wordt geïnformeerd"),
    ("belang van 'Mantelzorgers'", "overslaan"),
    ("invloed heeft 'Mantelzorgers'", "laag"),
    ("Hoe groot is het belang van 'Mantelzorgers'", "overslaan"),
    ("Wat vindt 'Mantelzorgers'", "overslaan"),
    ("Welke groepen", "klaar"),
    ("jongeren", "Scholieren helpen met koffie schenken."),
    ("niet vanzelf meepraten", "Via de huisarts en de wijkverpleging."),
    ("taalbarrières", "overslaan"),
    ("besluit over de opgave", "1 juni 2026"),
    ("Welke neem je over", "1, 2"),
    ("Op welke datum is de buurtschouw", "3 maart 2026"),
    ("Wanneer kondig je de buurtschouw aan", "ja"),
    ("Waar is de buurtschouw", "Verzamelen bij het buurthuis"),
    ("Hoeveel uur kost de buurtschouw", "ja"),
    ("Wat kost de buurtschouw", "ja"),
    ("ander niveau", "overslaan"),
    # the middel Ideeënmarkt (a bijeenkomst) is asked about by its own name
    ("Op welke datum is de ideeënmarkt", "17 maart 2026"),
    ("Wanneer kondig je de ideeënmarkt aan", "ja"),
    ("Waar is de ideeënmarkt", "Wijkcentrum De Parkstraat"),
    ("Hoeveel uur kost de ideeënmarkt", "24"),
    ("Wat kost de ideeënmarkt", "ja"),
    ("ander niveau", "overslaan"),
    ("Welke activiteiten", "enquête"),
    ("Omschrijf de enquête", "Korte vragenlijst op papier"),
    ("Van wanneer tot wanneer", "2 februari 2026 tot 1 maart 2026"),
    ("Hoeveel uur kost de enquête", "ca. 16"),
    ("Wat kost de enquête", "ongeveer 300"),
    ("ander niveau", "overslaan"),
    ("Welke activiteiten", "klaar"),
    ("Hoe vaak stuur je deelnemers", "ja"),
    ("participatierapportage klaar", "ja"),
    ("Wanneer evalueer je", "ja"),
    ("wat er met hun inbreng", "Op de ontmoetingsochtend vertellen we wat we doen."),
    ("Hoe evalueer je het traject", "Met de toolbox, met team en bezoekers."),
    ("criteria", "overslaan"),
    ("Privacy", "ja"),
    ("ervaringsdeskundigen", "nee"),
    ("samenwerkingsovereenkomst", "nee"),
]
