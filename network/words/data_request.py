"""The data request's German words: the report's section headings and the page's texts."""

TITLE = "Auskunft nach Art. 15 DSGVO und § 83 SGB X"
INTRO = ("Alle Daten, die der Dienst über die Person speichert, nach Bereichen geordnet."
         " Stand: {produced}. Eingang des Auskunftsersuchens: {received}.")
NONE = "Keine Einträge."
PAGE = "Seite {page} von {{nb}}"
DUE = "Auskunftsersuchen fällig bis {due}"
DONE = "Auskunft erteilt am {answered}"
BUTTON_RECORD = "Auskunftsersuchen erfassen"
BUTTON_PRODUCE = "Auskunft erstellen (PDF)"
BUTTON_JSON = "Auskunft als JSON"
RECEIVED_LABEL = "Eingang am"
HEADING = "Auskunftsersuchen"

SECTION_HEADINGS: dict[str, str] = {
    "master_data": "Stammdaten",
    "languages": "Sprachen",
    "potential_analysis": "Potenzialanalyse und Qualifikationen",
    "consents": "Einwilligungen",
    "barriers": "Hindernisse",
    "barrier_events": "Verlauf der Hindernisse",
    "referrals": "Vermittlungen an Partner",
    "referral_events": "Verlauf der Vermittlungen",
    "partner_messages": "Rückmeldungen und Links der Partner",
    "case_history": "Verlauf des Falls",
    "reminders": "Erinnerungen",
    "emails": "Versandte E-Mails",
    "circle_handovers": "Übergaben zwischen Rechtskreisen",
    "access_log": "Wer den Datensatz gelesen oder geändert hat",
    "data_requests": "Auskunftsersuchen",
    "material_handed_out": "Ausgegebenes Informationsmaterial",
    "client_page_links": "Links zur eigenen Seite",
    "case_changes": "Änderungen an Ihren Daten (vorher und nachher)",
    "case_notes": "Beratungsvermerke",
    "outreach": "Erstansprache vor der Aufnahme",
    "consent_forms": "Unterschriebene Einwilligungsformulare",
    "appointments": "Termine bei Partnern",
}

REMOVED = ("Die personenbezogenen Daten sind pseudonymisiert oder gelöscht: Eine Auskunft kann"
           " nicht mehr erstellt werden.")

# The headings also in the client's language, where the referral slip has that language
# (network/web/slips/): the PDF shapes Arabic and Persian right to left and has a font for
# Tigrinya's Ethiopic script (network.cases.subject_access_pdf).
CLIENT_LANGUAGE_HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "master_data": "Personal details",
        "languages": "Languages",
        "potential_analysis": "Skills assessment and qualifications",
        "consents": "Consents",
        "barriers": "Barriers",
        "barrier_events": "History of the barriers",
        "referrals": "Referrals to partners",
        "referral_events": "History of the referrals",
        "partner_messages": "Partners' answers and links",
        "case_history": "History of the case",
        "reminders": "Reminders",
        "emails": "Emails sent",
        "circle_handovers": "Handovers between the legal circles",
        "access_log": "Who read or changed the record",
        "data_requests": "Requests for access",
        "material_handed_out": "Information material handed out",
        "client_page_links": "Links to your own page",
        "case_changes": "Changes to your data (before and after)",
        "case_notes": "Notes of your consultations",
        "outreach": "First contact before you were taken in",
        "consent_forms": "Signed consent forms",
        "appointments": "Appointments with partners",
    },
    "ar": {
        "master_data": "البيانات الشخصية",
        "languages": "اللغات",
        "potential_analysis": "تحليل الإمكانات والمؤهلات",
        "consents": "الموافقات",
        "barriers": "العوائق",
        "barrier_events": "سجل العوائق",
        "referrals": "الإحالات إلى الشركاء",
        "referral_events": "سجل الإحالات",
        "partner_messages": "ردود الشركاء وروابطهم",
        "case_history": "سجل الملف",
        "reminders": "التذكيرات",
        "emails": "الرسائل الإلكترونية المرسلة",
        "circle_handovers": "النقل بين الدوائر القانونية",
        "access_log": "من قرأ السجل أو غيّره",
        "data_requests": "طلبات الاطلاع على البيانات",
        "material_handed_out": "المواد الإعلامية المسلّمة",
        "client_page_links": "روابط صفحتك الخاصة",
        "case_changes": "التغييرات على بياناتك (قبل وبعد)",
        "case_notes": "ملاحظات جلسات الاستشارة",
        "outreach": "التواصل الأول قبل التسجيل",
        "consent_forms": "استمارات الموافقة الموقّعة",
        "appointments": "المواعيد لدى الشركاء",
    },
    "fa": {
        "master_data": "اطلاعات شخصی",
        "languages": "زبان‌ها",
        "potential_analysis": "ارزیابی توانایی‌ها و مدارک",
        "consents": "رضایت‌نامه‌ها",
        "barriers": "موانع",
        "barrier_events": "سابقهٔ موانع",
        "referrals": "ارجاع به شرکا",
        "referral_events": "سابقهٔ ارجاع‌ها",
        "partner_messages": "پاسخ‌ها و پیوندهای شرکا",
        "case_history": "سابقهٔ پرونده",
        "reminders": "یادآوری‌ها",
        "emails": "ایمیل‌های ارسال‌شده",
        "circle_handovers": "انتقال بین حوزه‌های قانونی",
        "access_log": "چه کسی پرونده را خوانده یا تغییر داده است",
        "data_requests": "درخواست‌های دسترسی به اطلاعات",
        "material_handed_out": "مطالب اطلاعاتی تحویل‌شده",
        "client_page_links": "پیوندهای صفحهٔ شخصی شما",
        "case_changes": "تغییرات در اطلاعات شما (قبل و بعد)",
        "case_notes": "یادداشت‌های جلسات مشاوره",
        "outreach": "نخستین تماس پیش از پذیرش",
        "consent_forms": "فرم‌های رضایت امضاشده",
        "appointments": "وقت‌های ملاقات نزد شرکا",
    },
    "ti": {
        "master_data": "ውልቃዊ ሓበሬታ",
        "languages": "ቋንቋታት",
        "potential_analysis": "ክእለትን ብቕዓትን",
        "consents": "ፍቓዳት",
        "barriers": "ዕንቅፋታት",
        "barrier_events": "ታሪኽ ዕንቅፋታት",
        "referrals": "ናብ መሻርኽቲ ዝተመሓላለፉ",
        "referral_events": "ታሪኽ ምምሕልላፍ",
        "partner_messages": "መልሲታትን ሊንክታትን መሻርኽቲ",
        "case_history": "ታሪኽ ጉዳይ",
        "reminders": "መዘኻኸሪታት",
        "emails": "ዝተላእኩ ኢመይላት",
        "circle_handovers": "ምትሕልላፍ ኣብ መንጎ ሕጋዊ ክበባት",
        "access_log": "መን ነቲ ሰነድ ኣንቢቡ ወይ ቀይሩ",
        "data_requests": "ሕቶታት ሓበሬታ",
        "material_handed_out": "ዝተዋህበ ሓበሬታዊ ጽሑፍ",
        "client_page_links": "ሊንክታት ናብ ናይ ገዛእ ርእስኹም ገጽ",
        "case_changes": "ለውጥታት ኣብ ሓበሬታኹም (ቅድሚን ድሕሪን)",
        "case_notes": "መዘኻኸሪ ምኽሪ",
        "outreach": "ቀዳማይ ርክብ ቅድሚ ምዝገባ",
        "consent_forms": "ዝተፈረሙ ቅጥዕታት ፍቓድ",
        "appointments": "ቆጸራታት ኣብ መሻርኽቲ",
    },
}
