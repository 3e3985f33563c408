"""Invented plans of four gemeenten, with what came of them, for the document tests and docs/."""

from __future__ import annotations

from datetime import date

from handreiking.afronding import Afronding, Besluit, InbrengItem, Thema, Uitvoering, Verwerking
from handreiking.models import (
    Aantal,
    Activiteit,
    ActiviteitType,
    Bedrag,
    Belanghebbende,
    Beslisser,
    Doel,
    InitiatiefnemerType,
    Niveau,
    Periode,
    Plan,
    Rol,
)

LEIDEN = Plan(
    titel="Herinrichting Lindenplein",
    gemeente="leiden",
    initiatiefnemer_type=InitiatiefnemerType.gemeente,
    initiatiefnemer="Team Openbare Ruimte",
    eigenaar_naam="Sam Voorbeeld",
    eigenaar_rol="projectleider openbare ruimte",
    eigenaar_email="lindenplein@example.org",
    beslisser=Beslisser.college,
    grote_wijziging=True,
    veel_actoren=False,
    veel_belangen=True,
    accounthouder="Mirthe Voorbeeld",
    accounthouder_email="mirthe.voorbeeld@example.org",
    kader_inhoudelijk="Gebiedsvisie Lindenkwartier: het plein blijft autoluw en groen.",
    kader_financieel="Budget € 250.000 uit het Investeringsfonds Pleinen.",
    kader_proces="Uitvoering start na de zomervakantie van 2027.",
    kaders_voor_inwoners="Er komen geen parkeerplaatsen terug; over bankjes en bomen praat je mee.",
    opgave="Het Lindenplein krijgt nieuwe bestrating, bomen en speelplekken. "
    "De riolering wordt tegelijk vernieuwd.",
    maatschappelijke_waarde="Een koeler en groener plein waar buren elkaar ontmoeten.",
    regels="Het omgevingsplan en de bomenverordening gelden.",
    wie_doet_mee="Bewoners, ondernemers en de wijkvereniging; de gemeente betaalt de studie.",
    belangen="Bereikbaarheid van winkels; relatie met het Mobiliteitsplan.",
    kosten_baten="Kosten € 250.000; baten: minder hittestress.",
    ruimte="Inrichting, speelplekken en bankjes liggen open. De plek van de bomen ligt vast.",
    complexiteit="zie hierboven",
    doelen=[Doel.samen_denken, Doel.samen_leren],
    niveau=Niveau.adviseren,
    niveau_toelichting="Bewoners adviseren; het college wijkt alleen met redenen af.",
    afwegingskader="We wegen inbreng op veiligheid, groen en kosten; het college beslist.",
    belanghebbenden=[
        Belanghebbende(naam="Team Openbare Ruimte", rol=Rol.proceseigenaar),
        Belanghebbende(naam="College van B&W", rol=Rol.beslisser),
        Belanghebbende(
            naam="Omwonenden Lindenplein", rol=Rol.coproducent, belang="Woongenot en spelen"
        ),
        Belanghebbende(naam="Ondernemers Lindenstraat", rol=Rol.adviseur),
        Belanghebbende(
            naam="Wijkvereniging Lindenkwartier",
            rol=Rol.geraadpleegd,
            belang="Bereikbaarheid en de bewonersorganisatie betrekken",
        ),
    ],
    inclusie_jongeren="Via de basisschool en het jongerenwerk.",
    inclusie_moeilijk_bereikbaar="Huis-aan-huis gesprekken met een tolk.",
    inclusie_taal="weet ik nog niet",
    besluitdatum=date(2026, 10, 1),
    activiteiten=[
        Activiteit(
            type=ActiviteitType.bijeenkomst,
            omschrijving="Ontwerpavond met schetsen en koffie",
            datum=date(2026, 3, 12),
            aankondiging=date(2026, 2, 19),
            plaats="Buurthuis De Linde",
            uren=Aantal(waarde=20, schatting=True),
            kosten=Bedrag(min=1500.5),
        ),
        Activiteit(
            type=ActiviteitType.online,
            omschrijving="Reageren op drie schetsen via het participatieplatform",
            periode=Periode(van=date(2026, 3, 1), tot=date(2026, 3, 29)),
            uren=Aantal(waarde=12),
            kosten=Bedrag(min=1000, max=2000, schatting=True),
            niveau=Niveau.raadplegen,
        ),
        Activiteit(
            type=ActiviteitType.buurtschouw,
            omschrijving="Informatiebijeenkomst en wandeling",
            datum=date(2026, 4, 16),
            aankondiging=date(2026, 3, 20),
            plaats="Start bij de fontein",
        ),
    ],
    update_ritme_weken=4,
    rapportage_datum=date(2026, 6, 1),
    evaluatie_datum=date(2026, 11, 12),
    terugkoppeling="Een brief aan alle deelnemers en een avond waarin we het ontwerp laten zien.",
    evaluatie="Een evaluatieformulier aan deelnemers en een sessie met het projectteam.",
    evaluatie_criteria="Minstens 50 reacties; jongeren deden mee.",
    avg_akkoord=True,
    vergoeding=True,
    vergoeding_toelichting="Een cadeaubon van € 25 per avond.",
    afwijkingen={"volgorde:aankondiging:1": "De zaal was pas laat bevestigd."},
)

HEEMSTEDE = Plan(
    titel="Speeltuin Bosrand",
    gemeente="heemstede",
    initiatiefnemer_type=InitiatiefnemerType.inwoners,
    initiatiefnemer="Buurtgroep Bosrand",
    eigenaar_naam="Noor Testbewoner",
    eigenaar_rol="voorzitter buurtgroep",
    beslisser=Beslisser.raad,
    grote_wijziging=True,
    veel_actoren=True,
    veel_belangen=False,
    kader_inhoudelijk="Het groen langs de bosrand blijft.",
    kaders_voor_inwoners="Er kan niet gebouwd worden in het groen.",
    opgave="Een nieuwe natuurspeeltuin aan de Bosrand.",
    maatschappelijke_waarde="Kinderen spelen buiten en buren leren elkaar kennen.",
    regels="Bomenkap alleen met vergunning.",
    wie_doet_mee="De buurtgroep, de school en de gemeente; de buurtgroep bouwt mee.",
    belangen="Rust voor omwonenden; geen relatie met andere plannen.",
    kosten_baten="€ 40.000 kosten; baten: speelplek voor 200 kinderen.",
    ruimte="Ontwerp en onderhoud van de speeltuin.",
    doelen=[Doel.samen_doen, Doel.samen_beslissen],
    niveau=Niveau.meebeslissen,
    niveau_toelichting="De buurt kiest het ontwerp binnen het budget",
    afwegingskader="De buurt stemt; de raad stelt het budget vast.",
    belanghebbenden=[
        Belanghebbende(naam="Buurtgroep Bosrand", rol=Rol.proceseigenaar),
        Belanghebbende(naam="Gemeenteraad", rol=Rol.beslisser),
        Belanghebbende(naam="Kinderen van de Bosrandschool", rol=Rol.coproducent, belang="Spelen"),
        Belanghebbende(naam="Omwonenden", rol=Rol.geinformeerd, belang="Rust"),
    ],
    inclusie_jongeren="Kinderen tekenen hun droomspeeltuin.",
    inclusie_moeilijk_bereikbaar="We bellen aan bij iedereen in de straat.",
    besluitdatum=date(2026, 9, 15),
    activiteiten=[
        Activiteit(
            type=ActiviteitType.workshop,
            datum=date(2026, 3, 10),
            aankondiging=date(2026, 2, 17),
            plaats="Bosrandschool",
        ),
        Activiteit(
            type=ActiviteitType.enquete,
            omschrijving="Stemming over drie ontwerpen",
            periode=Periode(van=date(2026, 4, 13), tot=date(2026, 5, 10)),
            uren=Aantal(waarde=6),
            kosten=Bedrag(min=0),
        ),
    ],
    update_ritme_weken=6,
    rapportage_datum=date(2026, 8, 1),
    evaluatie_datum=date(2026, 11, 1),
    terugkoppeling="Een nieuwsbrief aan de buurt.",
    evaluatie="Met de buurtgroep na de opening.",
    avg_akkoord=False,
    avg_tekst="Alleen e-mailadressen, tot de opening; daarna verwijderd.",
    vergoeding=False,
    samenwerkingsovereenkomst=True,
    samenwerkingsovereenkomst_toelichting="De buurtgroep stemt elke stap af met de gemeente.",
)

HEERLEN = Plan(
    titel="Ontmoetingsplek Parkstraat",
    gemeente="heerlen",
    initiatiefnemer_type=InitiatiefnemerType.organisatie,
    initiatiefnemer="Stichting Samen Parkstraat",
    eigenaar_naam="Jory Testbeeld",
    eigenaar_rol="coördinator",
    eigenaar_email="stichting@example.org",
    beslisser=Beslisser.ambtenaren,
    kader_financieel="Subsidie van € 5.000.",
    kaders_voor_inwoners="Het budget is klein: we kiezen samen wat het meest nodig is.",
    opgave="Een wekelijkse ontmoetingsochtend voor ouderen in de Parkstraat.",
    ruimte="Programma en tijden kiezen de bezoekers.",
    doelen=[Doel.samen_denken],
    niveau=Niveau.raadplegen,
    niveau_toelichting="We vragen wat ouderen willen; de stichting beslist.",
    afwegingskader="Wat het vaakst gevraagd wordt, doen we eerst.",
    belanghebbenden=[
        Belanghebbende(naam="Stichting Samen Parkstraat", rol=Rol.proceseigenaar),
        Belanghebbende(naam="Gemeente (ambtelijk)", rol=Rol.beslisser),
        Belanghebbende(
            naam="Ouderen in de wijk", rol=Rol.geraadpleegd, belang="Minder eenzaamheid"
        ),
        Belanghebbende(naam="Mantelzorgers", rol=Rol.geinformeerd),
        Belanghebbende(naam="Huisartsenpraktijk Parkstraat", rol=Rol.adviseur),
    ],
    inclusie_jongeren="Scholieren helpen met koffie schenken.",
    inclusie_moeilijk_bereikbaar="Via de huisarts en de wijkverpleging.",
    besluitdatum=date(2026, 6, 1),
    activiteiten=[
        Activiteit(
            type=ActiviteitType.enquete,
            omschrijving="Korte vragenlijst op papier",
            periode=Periode(van=date(2026, 2, 2), tot=date(2026, 3, 1)),
            uren=Aantal(waarde=16, schatting=True),
            kosten=Bedrag(min=300, schatting=True),
        ),
        Activiteit(
            type=ActiviteitType.meedenkgroep,
            omschrijving="Meedenkgroep met bezoekers en mantelzorgers",
            datum=date(2026, 3, 17),
            aankondiging=date(2026, 2, 24),
            plaats="Wijkcentrum Parkstraat",
            uren=Aantal(waarde=24),
            kosten=Bedrag(min=450),
        ),
        Activiteit(
            type=ActiviteitType.informatie,
            omschrijving="Nieuwsbrief aan alle huishoudens",
            datum=date(2026, 4, 6),
            uren=Aantal(waarde=8),
            kosten=Bedrag(min=1250),
        ),
    ],
    update_ritme_weken=4,
    rapportage_datum=date(2026, 5, 1),
    evaluatie_datum=date(2026, 7, 13),
    terugkoppeling="Op de ontmoetingsochtend vertellen we wat we doen.",
    evaluatie="Met de toolbox, met team en bezoekers.",
    avg_akkoord=True,
    vergoeding=False,
    samenwerkingsovereenkomst=False,
)

LEIDSCHENDAM_VOORBURG = Plan(
    titel="Groen schoolplein De Vliet",
    gemeente="leidschendam-voorburg",
    initiatiefnemer_type=InitiatiefnemerType.ondernemer,
    initiatiefnemer="Bouwbedrijf Voorbeeld BV",
    eigenaar_naam="Alex Proefpersoon",
    eigenaar_email="projecten@example.org",
    beslisser=Beslisser.college,
    grote_wijziging=False,
    veel_actoren=True,
    veel_belangen=True,
    accounthouder="Kim Testambtenaar",
    opgave="Het schoolplein van De Vliet wordt groen en na schooltijd open voor de buurt.",
    maatschappelijke_waarde="Meer speelruimte en minder wateroverlast.",
    regels="weet ik nog niet",
    wie_doet_mee="School, ouders, kinderen en omwonenden.",
    belangen="Veiligheid na schooltijd; relatie met het Klimaatadaptatieplan.",
    kosten_baten="Kosten € 80.000; de school betaalt een derde.",
    kader_proces="Het plein moet klaar zijn voor het schooljaar 2027-2028.",
    ruimte="De indeling van het plein en de openingstijden.",
    doelen=[Doel.samen_denken, Doel.samen_doen],
    niveau=Niveau.coproduceren,
    niveau_toelichting="Ouders en kinderen ontwerpen mee; het ontwerp geldt.",
    belanghebbenden=[
        Belanghebbende(naam="Bouwbedrijf Voorbeeld BV", rol=Rol.proceseigenaar),
        Belanghebbende(naam="College van B&W", rol=Rol.beslisser),
        Belanghebbende(naam="Kinderen en ouders", rol=Rol.coproducent, belang="Spelen"),
        Belanghebbende(naam="Omwonenden", rol=Rol.geraadpleegd, belang="Geluid en veiligheid"),
    ],
    inclusie_jongeren="De leerlingenraad ontwerpt mee.",
    inclusie_moeilijk_bereikbaar="weet ik nog niet",
    besluitdatum=date(2026, 12, 10),
    activiteiten=[
        Activiteit(
            type=ActiviteitType.workshop,
            omschrijving="Ontwerpworkshop met de leerlingenraad",
            datum=date(2026, 9, 15),
            aankondiging=date(2026, 8, 25),
            plaats="Basisschool De Vliet",
            uren=Aantal(waarde=10),
        ),
        Activiteit(
            type=ActiviteitType.online,
            omschrijving="Reacties op het ontwerp",
            periode=Periode(van=date(2026, 10, 1), tot=date(2026, 10, 28)),
        ),
    ],
    update_ritme_weken=0,
    rapportage_datum=date(2026, 11, 12),
    terugkoppeling="Een bijeenkomst op school waar we laten zien wat we met de reacties doen.",
    evaluatie="Een vragenlijst aan ouders en omwonenden.",
    avg_akkoord=None,
    vergoeding=False,
    samenwerkingsovereenkomst=True,
    afwijkingen={"updates": "De school stuurt al een wekelijkse nieuwsbrief."},
)

PLANS = {
    "leiden": LEIDEN,
    "heemstede": HEEMSTEDE,
    "heerlen": HEERLEN,
    "leidschendam-voorburg": LEIDSCHENDAM_VOORBURG,
}


def afronding(plan: Plan) -> Afronding:
    """What came of the plan: every activity held (the first one moved a week), input on two
    themes, what was done with it, and the besluit."""
    uitvoering = [
        Uitvoering(
            activiteit=nr,
            datum=a.datum,
            periode=a.periode,
            deelnemers=12 * nr + 7,
        )
        for nr, a in enumerate(plan.activiteiten, 1)
    ]
    return Afronding(
        uitvoering=uitvoering,
        bereikt=[b.naam for b in plan.belanghebbenden[2:]],
        inbreng=[
            InbrengItem(tekst="Meer schaduw bij de bankjes.", thema="Groen", bron="inloopavond"),
            InbrengItem(tekst="Laat de fietsenrekken staan.", thema="Fietsen", bron="online"),
            InbrengItem(tekst="Bomen langs de rand graag.", thema="Groen", bron="online"),
        ],
        themas=[
            Thema(naam="Groen", verwerking=Verwerking.overgenomen, reden="Past in de visie."),
            Thema(
                naam="Fietsen",
                verwerking=Verwerking.deels,
                reden="De helft van de rekken blijft; de rest komt bij de ingang.",
            ),
        ],
        afweging="We wogen de reacties op veiligheid, groen en kosten.",
        besluit=Besluit(
            datum=plan.besluitdatum or date(2026, 12, 1),
            orgaan=plan.beslisser
            if plan.beslisser in (Beslisser.college, Beslisser.raad)
            else Beslisser.college,
            uitkomst="Het ontwerp wordt uitgevoerd met de aanpassingen uit de participatie.",
        ),
    )
