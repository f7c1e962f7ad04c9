"""What the bot says about the data it keeps: /privacy, /export and /delete."""

from __future__ import annotations

from bot.i18n import N_, _

COMMANDS = {
    "privacy": N_("What I store about you"),
    "export": N_("Download everything I store about you"),
    "delete": N_("Erase everything I store about you"),
}


def privacy() -> str:
    return _(
        "🔒 <b>What I store about you</b>\n\n"
        "• Your Telegram user and chat id, first name and language, so I can write to you.\n"
        "• Your choices: time zone, reminder time, days, focus areas, level and session length.\n"
        "• Your answers to the safety questions, as the buttons you tapped (yes or no).\n"
        "• Your sessions: which stretches you did, skipped or found uncomfortable.\n"
        "• Pain reports, again only as the buttons you tapped.\n"
        "• When reminders were due and whether they were sent.\n\n"
        "<b>What I don't store</b>: anything else you type (I read a typed time or city, keep "
        "only the result and forget the words) and your location (I keep only the time zone "
        "found from it).\n\n"
        "Nothing is shared with anyone. /export sends you all of it as a file; "
        "/report makes a summary you can show a physio or doctor (made when you ask, not kept); "
        "/delete erases all of it."
    )


def export_caption() -> str:
    return _("📦 Everything I store about you, as a JSON file.")


EXPORT_FILENAME = "stretchbot-my-data.json"  # a file name, the same in every language


def nothing_stored() -> str:
    return _("I don't have anything stored about you.")


def delete_confirm() -> str:
    return _(
        "🗑 <b>Erase everything?</b>\n\n"
        "This deletes your settings, safety answers, sessions, pain reports and reminder history. "
        "It can't be undone, and reminders stop straight away."
    )


def delete_yes() -> str:
    return _("Yes, erase everything")


def delete_no() -> str:
    return _("No, keep it")


def deleted() -> str:
    return _(
        "Done: everything I had stored about you is gone. "
        "If you'd like to start again one day, send /start."
    )


def delete_kept() -> str:
    return _("Nothing was deleted.")
