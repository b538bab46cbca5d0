"""The partners' hand-written SQL fragments: the search texts a column alone cannot give."""

# The partner row's referral emails, as one text to search in.
EMAILS_TEXT = "array_to_string(partners.referral_emails, ' ')"

# The contact persons of the partner row in hand, as one text to search in.
CONTACTS_TEXT = """(SELECT string_agg(concat_ws(' ', c.name, c.role, c.email), ' ')
                    FROM partner_contacts c WHERE c.partner_id = partners.id)"""

# Partner names are unique whatever their case.
SAME_NAME = "lower(name) = lower({})"
BY_NAME = "lower(name)"
