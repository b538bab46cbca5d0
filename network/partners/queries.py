"""The partners' hand-written SQL fragments: the search texts a column alone cannot give."""

# The partner row's referral emails, as one text to search in.
EMAILS_TEXT = "array_to_string(partners.referral_emails, ' ')"

# The contact persons of the partner row in hand, as one text to search in.
CONTACTS_TEXT = """(SELECT string_agg(concat_ws(' ', c.name, c.role, c.email), ' ')
                    FROM partner_contacts c WHERE c.partner_id = partners.id)"""

# Partner names are unique whatever their case.
SAME_NAME = "lower(name) = lower({})"
BY_NAME = "lower(name)"

# The partner picker in one statement: every active partner with what the ranking
# (network.partners.ranking) needs. The evidence counts the referrals sent in the window
# [{window_start}, {now}]: its first answer is the first event out of `sent` to accepted or
# declined; "decided" is answered or expired unanswered; "finished" is completed or failed;
# "removed" is completed with the outcome "yes" (the barrier removed). The open load counts the
# partner's referrals in the given open statuses now, whenever sent. The working days to each
# first answer need the holiday calendar, so the statement returns the sent and answer
# instants of the answered ones as two parallel arrays.
# Parameters: barrier kind, window start, now, open statuses.
PICKER = """
SELECT p.id, p.name, p.kind, p.city, p.languages, p.served_municipalities,
       p.paused_until, p.pause_note, {} = ANY (p.barrier_kinds) AS handles,
       coalesce(w.sent, 0) AS sent, coalesce(w.decided, 0) AS decided,
       coalesce(w.accepted, 0) AS accepted, coalesce(w.finished, 0) AS finished,
       coalesce(w.removed, 0) AS removed, w.sent_times, w.answer_times,
       coalesce(o.open_now, 0) AS open_now
FROM partners p
LEFT JOIN (
    SELECT r.partner_id, count(*) AS sent,
           count(*) FILTER (WHERE a.at IS NOT NULL OR r.status = 'expired') AS decided,
           count(*) FILTER (WHERE a.to_status = 'accepted') AS accepted,
           count(*) FILTER (WHERE r.status IN ('completed', 'failed')) AS finished,
           count(*) FILTER (WHERE r.status = 'completed' AND r.outcome = 'yes') AS removed,
           array_agg(r.sent_at ORDER BY r.id) FILTER (WHERE a.at IS NOT NULL) AS sent_times,
           array_agg(a.at ORDER BY r.id) FILTER (WHERE a.at IS NOT NULL) AS answer_times
    FROM referrals r
    LEFT JOIN LATERAL (
        SELECT e.at, e.to_status FROM referral_events e
        WHERE e.referral_id = r.id AND e.from_status = 'sent'
          AND e.to_status IN ('accepted', 'declined') AND e.at >= r.sent_at
        ORDER BY e.at, e.id LIMIT 1) a ON true
    WHERE r.sent_at >= {} AND r.sent_at <= {}
    GROUP BY r.partner_id) w ON w.partner_id = p.id
LEFT JOIN (
    SELECT partner_id, count(*) AS open_now FROM referrals
    WHERE status = ANY ({}::text[]) GROUP BY partner_id) o ON o.partner_id = p.id
WHERE p.active
"""
