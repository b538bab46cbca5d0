"""The client's own status page (/k/{token}): the few texts the slip does not have, by
language code, for every language the slip has (tests/test_client_page.py checks); a missing
key falls back to German (as the slip does). The labels the slip has (where, phone, hours,
what to bring, topic) come from the slip's own texts. The not-valid and too-many pages are
German only: without a valid link the page cannot know the client's language."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Ihre Vermittlungen",
        "on_the_slip": "Ihre Vermittlungen jederzeit ansehen (Handy-Kamera):",
        "hello": "Hallo {name}",
        "intro": "Hier sehen Sie, wohin wir Sie vermittelt haben und was der Stand ist.",
        "none": "Zurzeit haben Sie keine offene Vermittlung.",
        "status": "Stand",
        "address": "Adresse",
        "not_valid_title": "Link nicht gültig",
        "not_valid": "Dieser Link ist nicht (mehr) gültig. Bitte fragen Sie beim Integration"
                     " Point nach.",
        "too_many": "Zu viele Aufrufe. Bitte versuchen Sie es in einer Minute noch einmal.",
    },
    "en": {
        "title": "Your referrals",
        "on_the_slip": "See your referrals any time (phone camera):",
        "hello": "Hello {name}",
        "intro": "Here you can see where we referred you and how things stand.",
        "none": "You have no open referral at the moment.",
        "status": "Status",
        "address": "Address",
    },
    "ar": {
        "title": "إحالاتك",
        "on_the_slip": "شاهد إحالاتك في أي وقت (كاميرا الهاتف):",
        "hello": "مرحباً {name}",
        "intro": "هنا ترى إلى أين أحلناك وما هو الوضع الحالي.",
        "none": "ليس لديك حالياً أي إحالة مفتوحة.",
        "status": "الوضع",
        "address": "العنوان",
    },
    "fa": {
        "title": "ارجاع‌های شما",
        "on_the_slip": "ارجاع‌های خود را هر زمان ببینید (دوربین گوشی):",
        "hello": "سلام {name}",
        "intro": "اینجا می‌بینید که شما را به کجا ارجاع داده‌ایم و وضعیت چیست.",
        "none": "در حال حاضر ارجاع بازی ندارید.",
        "status": "وضعیت",
        "address": "نشانی",
    },
    "ti": {
        "title": "ዝተመሓላለፉ ጉዳያትኩም",
        "on_the_slip": "ጉዳያትኩም ኣብ ዝኾነ ግዜ ርኣዩ (ካሜራ ሞባይል)፦",
        "hello": "ሰላም {name}",
        "intro": "ኣብዚ ናበይ ከም ዝለኣኽናኩምን ኩነታቱን ትርእዩ።",
        "none": "ሕጂ ክፉት ጉዳይ የብልኩምን።",
        "status": "ኩነታት",
        "address": "ኣድራሻ",
    },
}

STATUSES: dict[str, dict[str, str]] = {
    "de": {"sent": "angefragt – der Partner meldet sich", "accepted": "angenommen",
           "in_progress": "läuft", "on_hold": "pausiert"},
    "en": {"sent": "requested – the partner will contact you", "accepted": "accepted",
           "in_progress": "in progress", "on_hold": "paused"},
    "ar": {"sent": "تم الطلب – سيتواصل معك الشريك", "accepted": "تم القبول",
           "in_progress": "جارٍ", "on_hold": "متوقف مؤقتاً"},
    "fa": {"sent": "درخواست شد – شریک با شما تماس می‌گیرد", "accepted": "پذیرفته شد",
           "in_progress": "در جریان", "on_hold": "موقتاً متوقف"},
    "ti": {"sent": "ተሓቲቱ – እቲ መሻርኽቲ ክረኽበኩም እዩ", "accepted": "ተቐቢሉ",
           "in_progress": "ይቕጽል ኣሎ", "on_hold": "ንግዜኡ ደው ኢሉ"},
}


def texts(code: str) -> dict[str, str]:
    return {**TEXTS["de"], **TEXTS.get(code, {})}


def statuses(code: str) -> dict[str, str]:
    return {**STATUSES["de"], **STATUSES.get(code, {})}
