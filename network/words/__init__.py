"""The catalogue: every word the product shows, in one place.

Pages, emails, partner pages, the monthly report, the client's slip and the CLI take their
German from here: the names of statuses, kinds, outcomes and reasons, audit actions, the
wording of every refusal (`network.words.refusals`), countries and languages (CLDR through
Babel) and dates (Babel, de_DE, Europe/Berlin). The services and the API keep their English
codes; nothing outside this package translates them.
"""
