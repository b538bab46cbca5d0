"""`network seed --demo`: a district-sized demo network for trying the product.

Partners of every kind in the district of Heinsberg and about 150 clients at every stage
(first consultation, enrolled, analysed, barriers in every status, closed with each outcome).
Every person is made up; phone numbers and emails use reserved example domains.

Demo accounts (an administrator, coordinators for both legal circles, a viewer) share one
random password, made anew on every run and printed by the command: the demo never brings a
default password, and only `network seed --demo` / `network serve --demo` create these
accounts. Each case is assigned to a demo coordinator of its legal circle.

Referrals in every status (and handoffs) follow, from `network.referrals.demo`.

Running it twice adds nothing: accounts are found by email, partners by name, clients by
their DEMO-nnnn case number; a random generator seeded with that number makes the same
choices each time.
"""

from __future__ import annotations

import logging
import random
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from network.accounts import actions as account_actions
from network.accounts import service as accounts
from network.accounts.access import CurrentUser, Role
from network.actors import Actor
from network.cases import actions, service
from network.cases.service import (
    ClientData,
    LanguageSkill,
    PotentialAnalysisData,
    QualificationData,
)
from network.cases.tables import Client
from network.cases.values import (
    BarrierKind,
    CaseKind,
    CefrLevel,
    Gender,
    LegalCircle,
    Outcome,
    QualificationKind,
    ResidenceStatus,
)
from network.clock import SYSTEM_CLOCK, Clock, FixedClock
from network.mail import actions as mail_actions
from network.partners import actions as partner_actions
from network.partners import service as partners
from network.partners.kinds import PartnerKind
from network.partners.service import ContactPerson, PartnerData
from network.referrals.demo import seed_demo_referrals
from network.referrals.tables import Referral

log = logging.getLogger(__name__)

CLIENT_COUNT = 150
DEMO_DOMAIN = "demo.integrationpoint.example"
# email, name, role, legal circle: made-up staff of the Integration Point
DEMO_STAFF = [
    (f"admin@{DEMO_DOMAIN}", "Demo Administration", Role.ADMIN, LegalCircle.SGB2),
    (f"k.janssen@{DEMO_DOMAIN}", "Katrin Janssen (Demo)", Role.COORDINATOR, LegalCircle.SGB2),
    (f"m.oezdemir@{DEMO_DOMAIN}", "Murat Özdemir (Demo)", Role.COORDINATOR, LegalCircle.SGB2),
    (f"l.vossen@{DEMO_DOMAIN}", "Lea Vossen (Demo)", Role.COORDINATOR, LegalCircle.SGB3),
    (f"auswertung@{DEMO_DOMAIN}", "Demo Auswertung", Role.VIEWER, LegalCircle.SGB2),
]
B = BarrierKind
K = PartnerKind

# town, postal code, phone area code
TOWNS = [
    ("Heinsberg", "52525", "02452"), ("Erkelenz", "41812", "02431"),
    ("Geilenkirchen", "52511", "02451"), ("Hückelhoven", "41836", "02433"),
    ("Übach-Palenberg", "52531", "02451"), ("Wassenberg", "41849", "02432"),
    ("Wegberg", "41844", "02434"), ("Gangelt", "52538", "02454"),
    ("Selfkant", "52538", "02456"), ("Waldfeucht", "52525", "02455"),
]
STREETS = ["Hochstraße", "Bahnhofstraße", "Apfelstraße", "Kirchstraße", "Marktplatz",
           "Westpromenade", "Aachener Straße", "Lindenstraße", "Am Rathaus", "Schulstraße"]
CONTACT_FIRST = ["Petra", "Jan", "Marion", "Stefan", "Claudia", "Heinz", "Sabine", "Dirk",
                 "Anke", "Thomas", "Birgit", "Ralf", "Monika", "Guido", "Ute", "Frank"]
CONTACT_LAST = ["Lenzen", "Coenen", "Dohmen", "Jansen", "Houben", "Schmitz", "Wolters",
                "Peters", "Frenken", "Vieten", "Beckers", "Gerards", "Laumen", "Hensen"]

# name, kind, town index, barrier kinds, languages
PARTNERS: list[tuple[str, PartnerKind, int, tuple[BarrierKind, ...], tuple[str, ...]]] = [
    ("BAMF Außenstelle Mönchengladbach (Zuständigkeit Kreis Heinsberg)", K.BAMF, 0,
     (B.RESIDENCE_LEGAL, B.LANGUAGE), ("de", "en", "ar")),
    ("Ausländerbehörde Kreis Heinsberg", K.IMMIGRATION_OFFICE, 0,
     (B.RESIDENCE_LEGAL, B.DOCUMENTS), ("de", "en")),
    ("Ausländerbehörde – Außensprechstunde Erkelenz", K.IMMIGRATION_OFFICE, 1,
     (B.RESIDENCE_LEGAL, B.DOCUMENTS), ("de",)),
    ("Jugendamt Kreis Heinsberg", K.YOUTH_OFFICE, 0, (B.CHILDCARE, B.SCHOOL), ("de",)),
    ("Jugendamt Stadt Erkelenz", K.YOUTH_OFFICE, 1, (B.CHILDCARE, B.SCHOOL), ("de", "en")),
    ("Jugendamt Stadt Geilenkirchen", K.YOUTH_OFFICE, 2, (B.CHILDCARE,), ("de",)),
    ("Sozialamt Stadt Heinsberg", K.SOCIAL_OFFICE, 0, (B.FINANCIAL, B.HOUSING), ("de",)),
    ("Sozialamt Stadt Hückelhoven", K.SOCIAL_OFFICE, 3, (B.FINANCIAL, B.HOUSING), ("de", "tr")),
    ("Sozialamt Gemeinde Gangelt", K.SOCIAL_OFFICE, 7, (B.FINANCIAL,), ("de", "nl")),
    ("Berufskolleg Erkelenz", K.SCHOOL, 1, (B.VOCATIONAL_TRAINING, B.SCHOOL), ("de", "en")),
    ("Berufskolleg Geilenkirchen", K.SCHOOL, 2, (B.VOCATIONAL_TRAINING, B.SCHOOL), ("de",)),
    ("Gesamtschule Hückelhoven – Internationale Förderklasse", K.SCHOOL, 3,
     (B.SCHOOL, B.LANGUAGE), ("de", "ar", "en")),
    ("Kreisgymnasium Heinsberg", K.SCHOOL, 0, (B.SCHOOL, B.UNIVERSITY), ("de", "en", "fr")),
    ("Gesundheitsamt Kreis Heinsberg", K.HEALTH_OFFICE, 0, (B.HEALTH,), ("de", "en")),
    ("Kommunales Integrationszentrum Kreis Heinsberg", K.MUNICIPAL_INTEGRATION_CENTRE, 0,
     (B.LANGUAGE, B.SCHOOL, B.OTHER), ("de", "ar", "fa", "tr", "en")),
    ("Integrationsbeauftragte der Stadt Erkelenz", K.INTEGRATION_OFFICER, 1,
     (B.OTHER, B.HOUSING), ("de", "en")),
    ("Integrationsbeauftragter der Stadt Übach-Palenberg", K.INTEGRATION_OFFICER, 4,
     (B.OTHER,), ("de", "ru")),
    ("Integrationsbeauftragte der Stadt Wegberg", K.INTEGRATION_OFFICER, 6, (B.OTHER,), ("de",)),
    ("Flüchtlingshilfe Wassenberg e. V. (Ehrenamt)", K.VOLUNTEER_GROUP, 5,
     (B.MOBILITY, B.LANGUAGE, B.DOCUMENTS), ("de", "en", "ar")),
    ("Ehrenamtskreis Asyl Gangelt", K.VOLUNTEER_GROUP, 7, (B.MOBILITY, B.HOUSING),
     ("de", "nl", "en")),
    ("Willkommensinitiative Hückelhoven", K.VOLUNTEER_GROUP, 3, (B.LANGUAGE, B.MOBILITY),
     ("de", "tr", "ku")),
    ("Patenschaftsprojekt Selfkant", K.VOLUNTEER_GROUP, 8, (B.MOBILITY, B.CHILDCARE),
     ("de", "nl")),
    ("Caritasverband Heinsberg – Migrationsdienst", K.ASSOCIATION, 0,
     (B.RESIDENCE_LEGAL, B.HOUSING, B.FINANCIAL), ("de", "ar", "fa", "en")),
    ("Diakonisches Werk – Flüchtlingsberatung Erkelenz", K.ASSOCIATION, 1,
     (B.RESIDENCE_LEGAL, B.HEALTH), ("de", "en", "ti")),
    ("AWO Kreisverband Heinsberg – Jugendmigrationsdienst", K.ASSOCIATION, 0,
     (B.SCHOOL, B.VOCATIONAL_TRAINING, B.UNIVERSITY), ("de", "ar", "ku")),
    ("DRK Kreisverband Heinsberg – Suchdienst und Beratung", K.ASSOCIATION, 2,
     (B.DOCUMENTS, B.HEALTH), ("de", "en", "fr")),
    ("Sportverein Eintracht Übach-Palenberg – Integration durch Sport", K.ASSOCIATION, 4,
     (B.OTHER,), ("de",)),
    ("VHS Kreis Heinsberg – Integrationskurse", K.COURSE_PROVIDER, 0, (B.LANGUAGE,),
     ("de", "ar", "en")),
    ("VHS Kreis Heinsberg – Berufssprachkurse Geilenkirchen", K.COURSE_PROVIDER, 2,
     (B.LANGUAGE, B.VOCATIONAL_TRAINING), ("de",)),
    ("Sprachinstitut Erkelenz", K.COURSE_PROVIDER, 1, (B.LANGUAGE,), ("de", "en", "ru")),
    ("Bildungswerk Hückelhoven – Alphabetisierung", K.COURSE_PROVIDER, 3, (B.LANGUAGE,),
     ("de", "ar", "ti")),
    ("IQ Netzwerk NRW – Anerkennungsberatung Region Aachen", K.RECOGNITION_ADVICE, 0,
     (B.QUALIFICATION_RECOGNITION,), ("de", "en", "ar", "fa")),
    ("Handwerkskammer Aachen – Anerkennung ausländischer Abschlüsse", K.RECOGNITION_ADVICE, 0,
     (B.QUALIFICATION_RECOGNITION, B.VOCATIONAL_TRAINING), ("de", "en")),
    ("IHK Aachen – Anerkennungsberatung Zweigstelle Heinsberg", K.RECOGNITION_ADVICE, 0,
     (B.QUALIFICATION_RECOGNITION,), ("de", "en")),
    ("Kleiderkammer Heinsberg", K.CLOTHING_STORE, 0, (B.FINANCIAL,), ("de",)),
    ("Kleiderstube Erkelenz", K.CLOTHING_STORE, 1, (B.FINANCIAL,), ("de", "ar")),
    ("Kleiderkammer Geilenkirchen", K.CLOTHING_STORE, 2, (B.FINANCIAL,), ("de",)),
    ("Möbelbörse Kreis Heinsberg", K.FURNITURE_PROVIDER, 3, (B.HOUSING, B.FINANCIAL),
     ("de",)),
    ("Gebrauchtwarenkaufhaus Wegberg", K.FURNITURE_PROVIDER, 6, (B.HOUSING, B.FINANCIAL),
     ("de", "pl")),
    ("Kita-Servicestelle Kreis Heinsberg", K.OTHER, 0, (B.CHILDCARE,), ("de",)),
    ("Mieterverein Heinsberg", K.OTHER, 0, (B.HOUSING,), ("de",)),
    ("Fahrradwerkstatt Waldfeucht", K.OTHER, 9, (B.MOBILITY,), ("de", "nl")),
    ("Schuldnerberatung Kreis Heinsberg", K.OTHER, 0, (B.FINANCIAL,), ("de", "en")),
]

# country, first names (female, male), last names, languages
ORIGINS = [
    ("SY", (["Amal", "Rasha", "Lina", "Nour", "Hala"],
            ["Ahmad", "Omar", "Khaled", "Yousef", "Samer"]),
     ["Haddad", "Khalil", "Darwish", "Mansour", "Al-Hassan", "Sabbagh"], ("ar", "ku")),
    ("IQ", (["Zainab", "Shirin", "Noor"], ["Ali", "Hussein", "Karwan"]),
     ["Al-Jubouri", "Kareem", "Barzani", "Ibrahim"], ("ar", "ku")),
    ("IR", (["Maryam", "Shirin", "Parisa"], ["Reza", "Dariush", "Mehdi"]),
     ["Ahmadi", "Karimi", "Moradi", "Rostami"], ("fa",)),
    ("ER", (["Helen", "Senait", "Ruta"], ["Yonas", "Dawit", "Tesfay"]),
     ["Tesfamariam", "Gebremedhin", "Haile", "Kidane"], ("ti",)),
    ("AF", (["Farida", "Mahsa", "Zahra"], ["Ahmad", "Jawad", "Mustafa"]),
     ["Hakimi", "Rahimi", "Noori", "Sultani"], ("fa", "ps")),
    ("TR", (["Elif", "Zeynep"], ["Mehmet", "Baran"]), ["Yilmaz", "Demir", "Aydin"],
     ("tr", "ku")),
    ("SO", (["Hodan", "Amina"], ["Abdi", "Mohamed"]), ["Warsame", "Farah", "Hirsi"],
     ("so", "ar")),
    ("GN", (["Fatoumata", "Mariama"], ["Mamadou", "Ibrahima"]), ["Diallo", "Bah", "Barry"],
     ("fr",)),
]

TRADES = [
    (QualificationKind.VOCATIONAL, "Elektriker", B.QUALIFICATION_RECOGNITION),
    (QualificationKind.VOCATIONAL, "Schneiderin", B.QUALIFICATION_RECOGNITION),
    (QualificationKind.ACADEMIC, "Bachelor Bauingenieurwesen", B.QUALIFICATION_RECOGNITION),
    (QualificationKind.ACADEMIC, "Studium Pharmazie (abgebrochen)", B.UNIVERSITY),
    (QualificationKind.VOCATIONAL, "Kfz-Mechaniker", B.QUALIFICATION_RECOGNITION),
    (QualificationKind.SCHOOL, "Abitur", B.UNIVERSITY),
    (QualificationKind.SCHOOL, "Mittlerer Schulabschluss", B.VOCATIONAL_TRAINING),
]
ADULT_BARRIERS = [B.LANGUAGE, B.RESIDENCE_LEGAL, B.HEALTH, B.CHILDCARE, B.HOUSING,
                  B.DOCUMENTS, B.FINANCIAL, B.MOBILITY]
CONSENT_SCOPES = [
    [K.COURSE_PROVIDER, K.RECOGNITION_ADVICE, K.ASSOCIATION],
    [K.COURSE_PROVIDER, K.IMMIGRATION_OFFICE, K.SOCIAL_OFFICE, K.VOLUNTEER_GROUP],
    [K.SCHOOL, K.YOUTH_OFFICE, K.ASSOCIATION, K.MUNICIPAL_INTEGRATION_CENTRE],
    list(PartnerKind),
]
# stage -> share of clients; each stage takes a case further than the one before
STAGES = ["first_consultation", "enrolled", "analysed", "in_progress", "mostly_resolved",
          "ready_to_close", "closed"]
STAGE_WEIGHTS = [20, 10, 15, 30, 20, 10, 45]

SEEDING = Actor.system("demo seed")


@dataclass
class SeedReport:
    password: str = ""  # of every demo account (set anew by each run)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (email, role)
    users_created: int = 0
    partners_created: int = 0
    partners_existing: int = 0
    clients_created: int = 0
    clients_existing: int = 0
    referrals_created: int = 0
    referrals_existing: int = 0


async def seed_demo(clock: Clock = SYSTEM_CLOCK) -> SeedReport:
    now = clock.now()
    report = SeedReport(password="demo-" + secrets.token_urlsafe(12))
    staff = await _demo_staff(clock, report)
    admin = staff[0]
    coordinators = {circle: [u for u in staff if u.role is Role.COORDINATOR
                             and u.legal_circle is circle] for circle in LegalCircle}
    for index, entry in enumerate(PARTNERS):
        if await partners.find_partner_by_name(entry[0]) is not None:
            report.partners_existing += 1
            continue
        await partner_actions.create_partner(Actor.of_user(admin), clock,
                                             _partner(index, *entry))
        report.partners_created += 1
    for number in range(1, CLIENT_COUNT + 1):
        random_ = random.Random(number)  # each client its own stream: the same demo every time
        plan = _plan(random_, number, now)
        if await service.find_client_by_case_number(plan.data.case_number or "") is not None:
            report.clients_existing += 1
            continue
        team = coordinators[plan.data.legal_circle]
        coordinator = team[number % len(team)]
        plan.data = replace(plan.data, coordinator_id=coordinator.id)
        await _create_case(plan, random_, now, coordinator)
        report.clients_created += 1
    referred = await seed_demo_referrals(
        [f"DEMO-{number:04d}" for number in range(1, CLIENT_COUNT + 1)], now)
    report.referrals_created, report.referrals_existing = referred.created, referred.existing
    await _withdraw_history_emails(clock)
    log.info("demo seeded", extra={"users_created": report.users_created,
                                   "partners_created": report.partners_created,
                                   "clients_created": report.clients_created,
                                   "referrals_created": report.referrals_created})
    return report


async def _withdraw_history_emails(clock: Clock) -> None:
    """The made-up history is dated in the past; its emails (a partner accepted weeks ago,
    ...) would all go out at the first start. Only the new referrals still waiting for their
    partner keep theirs, to click through the partner's side."""
    clients = await Client.select(Client.id).where(Client.case_number.like("DEMO-%"))
    client_ids = [row["id"] for row in clients]
    if not client_ids:
        return
    waiting = await Referral.select(Referral.id).where(
        Referral.client_id.is_in(client_ids) & (Referral.status == "sent"))
    await mail_actions.withdraw_demo_history(SEEDING, clock, client_ids,
                                             [row["id"] for row in waiting])


async def _demo_staff(clock: Clock, report: SeedReport) -> list[CurrentUser]:
    """The demo accounts, created when missing; every one gets this run's password."""
    users = []
    for email, name, role, circle in DEMO_STAFF:
        if await accounts.find_user_by_email(email) is None:
            users.append(await account_actions.create_user(SEEDING, clock, accounts.NewUser(
                email, name, role, circle, report.password)))
            report.users_created += 1
        else:
            users.append(await account_actions.set_password(SEEDING, clock, email,
                                                            report.password))
        report.logins.append((email, role.value))
    return users


def _partner(index: int, name: str, kind: PartnerKind, town: int,
             kinds: tuple[BarrierKind, ...], languages: tuple[str, ...]) -> PartnerData:
    city, postal_code, area = TOWNS[town]
    domain = f"partner{index + 1:02d}.example.org"
    first = CONTACT_FIRST[index % len(CONTACT_FIRST)]
    last = CONTACT_LAST[(index * 5) % len(CONTACT_LAST)]
    contacts = (ContactPerson(f"{first} {last}", "Ansprechpartner/in",
                              f"{first.lower()}.{last.lower()}@{domain}",
                              f"{area} {1000 + index * 7}-{index % 9 + 1}"),)
    if index % 3 == 0:
        contacts += (ContactPerson(f"{CONTACT_FIRST[(index + 5) % 16]} {CONTACT_LAST[index % 14]}",
                                   "Vertretung"),)
    return PartnerData(
        name=name, kind=kind, street=f"{STREETS[index % len(STREETS)]} {index % 40 + 1}",
        postal_code=postal_code, city=city, phone=f"{area} {1000 + index * 7}-0",
        referral_emails=(f"vermittlung@{domain}",), contacts=contacts, languages=languages,
        barrier_kinds=kinds,
        opening_hours="Mo–Do 8:30–12:00, Do 14:00–17:30" if index % 2 else "nach Vereinbarung",
        notes="Bitte Termine vorab per E-Mail anfragen." if index % 4 == 0 else None,
        active=index % 17 != 16,  # a few inactive ones, to see the filter work
    )


@dataclass
class _Plan:
    data: ClientData
    stage: str
    opened: datetime
    young: bool


def _plan(random_: random.Random, number: int, now: datetime) -> _Plan:
    country, (female, male), last_names, languages = random_.choice(ORIGINS)
    gender = random_.choices([Gender.FEMALE, Gender.MALE, Gender.DIVERSE], [45, 53, 2])[0]
    first = random_.choice(female if gender is Gender.FEMALE else male)
    young = random_.random() < 0.3
    age = random_.randint(17, 24) if young else random_.randint(25, 58)
    opened = now - timedelta(days=random_.randint(5, 700))
    birth = date(opened.year - age, random_.randint(1, 12), random_.randint(1, 28))
    stage = random_.choices(STAGES, STAGE_WEIGHTS)[0]
    good = country in ("SY", "IQ", "IR", "ER")
    kind = CaseKind.FIRST_CONSULTATION if stage == "first_consultation" else CaseKind.ENROLLED
    town, postal_code, area = random_.choice(TOWNS)
    levels = list(CefrLevel)
    data = ClientData(
        first_name=first, last_name=random_.choice(last_names), date_of_birth=birth,
        gender=gender, country_of_origin=country,
        residence_status=random_.choice(list(ResidenceStatus)[:4]),
        legal_circle=random_.choices([LegalCircle.SGB2, LegalCircle.SGB3], [75, 25])[0],
        case_kind=kind,
        enrolment_reason=None if good or kind is CaseKind.FIRST_CONSULTATION else
        "Aufenthaltserlaubnis nach § 25 AufenthG, dauerhafter Aufenthalt zu erwarten",
        case_number=f"DEMO-{number:04d}",
        phone=f"+49 {area[1:]} 555 {number:03d}", email=f"demo.client{number}@example.org",
        address=f"{random_.choice(STREETS)} {random_.randint(1, 90)}, {postal_code} {town}",
        notes="Termine bitte vormittags." if random_.random() < 0.2 else None,
        languages=(LanguageSkill(languages[0], CefrLevel.C2),
                   LanguageSkill("de", random_.choice(levels[:4]))),
    )
    return _Plan(data, stage, opened, young)


async def _create_case(plan: _Plan, random_: random.Random, now: datetime,
                       user: CurrentUser) -> None:
    stage, opened = plan.stage, plan.opened
    by = Actor.of_user(user)
    if stage == "first_consultation":
        await actions.create_client(by, FixedClock(opened), plan.data, barrier_kinds=[])
        return
    kinds = list(random_.sample(ADULT_BARRIERS, random_.randint(1, 3)))
    if plan.young:
        kinds.append(random_.choice([B.SCHOOL, B.VOCATIONAL_TRAINING, B.UNIVERSITY]))
    client = await actions.create_client(by, FixedClock(opened), plan.data, barrier_kinds=[])
    if stage == "enrolled":
        return
    step = (now - opened) / 6
    trade_kind, trade, trade_barrier = random_.choice(TRADES)
    await actions.record_potential_analysis(by, FixedClock(opened + step), client.id,
                                            PotentialAnalysisData(
        schooling_years=random_.randint(6, 13), work_experience_years=random_.randint(0, 15),
        work_experience=f"Berufserfahrung als {trade}" if trade_kind is not
        QualificationKind.SCHOOL else None,
        skills=random_.choice(["Handwerkliches Geschick", "Kundenkontakt", "Buchhaltung",
                               "Fahrerlaubnis Klasse B", "Pflege von Angehörigen"]),
        qualifications=(QualificationData(trade_kind, trade, random_.random() < 0.5,
                                          plan.data.country_of_origin),),
    ))
    if trade_barrier not in kinds:
        kinds.append(trade_barrier)
    await actions.give_consent(by, FixedClock(opened + step), client.id,
                               random_.choice(CONSENT_SCOPES), given_at=opened + step)
    made = [await actions.add_barrier(by, FixedClock(opened + step), client.id, kind,
                                      _describe(kind)) for kind in kinds]
    if stage == "analysed":
        return
    finished_share = {"in_progress": 0.2, "mostly_resolved": 0.6}.get(stage, 1.0)
    for barrier in made:
        at = opened + 2 * step
        if random_.random() >= finished_share:
            if random_.random() < 0.6:
                await actions.change_barrier_status(by, FixedClock(at), barrier.id,
                                                    "in_progress")
            continue
        if random_.random() < 0.12:
            await actions.change_barrier_status(
                by, FixedClock(opened + 3 * step), barrier.id, "unresolvable",
                reason="Kein passendes Angebot im Kreis erreichbar")
        else:
            await actions.resolve_barrier(by, FixedClock(opened + 3 * step), barrier.id)
    if stage == "closed":
        outcome = random_.choices(list(Outcome), [40, 20, 8, 4, 10, 8, 10])[0]
        await actions.close_case(by, FixedClock(opened + 4 * step), client.id, outcome)


def _describe(kind: BarrierKind) -> str:
    return {
        B.LANGUAGE: "Deutschkenntnisse reichen für den Beruf noch nicht aus",
        B.QUALIFICATION_RECOGNITION: "Ausländischer Abschluss noch nicht anerkannt",
        B.RESIDENCE_LEGAL: "Aufenthaltstitel läuft aus, Verlängerung offen",
        B.HEALTH: "Gesundheitliche Einschränkung, ärztliche Abklärung nötig",
        B.CHILDCARE: "Kein Kita-Platz für das jüngste Kind",
        B.HOUSING: "Wohnung zu klein, Umzug geplant",
        B.SCHOOL: "Schulabschluss soll nachgeholt werden",
        B.VOCATIONAL_TRAINING: "Ausbildungsplatz gesucht",
        B.UNIVERSITY: "Studienplatz und Hochschulzugang klären",
        B.DOCUMENTS: "Pass und Zeugnisse fehlen",
        B.FINANCIAL: "Schulden, Kontoeröffnung schwierig",
        B.MOBILITY: "Arbeitsort ohne Busverbindung",
        B.OTHER: "Sonstiges",
    }[kind]
