"""The use-case floor between the chat (or the dispatcher) and the rows: no Telegram here.

Each function takes an `AsyncSession` handed in by its caller (one per update or job tick),
asks a pure rule in `bot.domain` what should happen, and writes the rows. The caller commits.

- `lifecycle`: a person's subscription and holds (`bot.domain.lifecycle`): the only writer of
  `Subscriber.status`, `pause_reason`, `paused_until` and `Preferences.next_reminder_at`.
- `holds`: pain reports as holds: open a triage, decide it, record a red flag from anywhere
  (triage, check-in, screening), lift one by report id, and the person's current limits.
- `practice`: a session's start (with its step-up offer) and the one running; one flow event
  against a stored session (`bot.domain.flow`): the transition with its history rows, and the
  triage, red flag or streak it brings, returned for the chat to show.
- `step_ups`: the answer to a step-up offer, once, by the session's owner, never while held.
- `stats`: /stats' figures from the person's recent sessions, in their zone (read only).
- `kindness`: the quiet switch and quiet hours, never over the daily reminder.
- `reminders`: a reminder's "In 30 min" and "Not today" on the person's newest reminder of today.
- `rescreening`: are the safety questions due again before a session (`bot.domain.rescreening`),
  and recording that they were answered.
- `triage`: a pain triage walked from the chat: the running session it pauses, the report it
  opens or takes up, one answer at a time until `bot.domain.triage` decides (holds via `holds`).
- `screening`: the sign-up screening's last answer: what is kept, and the flag a "yes" raises.
- `hold_timers`: the timer jobs' claims on ended holds (`bot.db.holds`) and what to re-arm after
  a restart (not `holds`, which are what a pain report puts on a person).
"""
