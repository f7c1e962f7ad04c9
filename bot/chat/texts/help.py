"""/help and the answers to messages the bot cannot use."""

from __future__ import annotations

from bot.i18n import N_, _

COMMANDS = {"help": N_("What I can do")}


def help_intro() -> str:
    return _(
        "🤸 <b>Stretchbot</b> sends you a short stretching routine for your legs and back on the "
        "days you choose, and guides you through it."
    )


def help_footer() -> str:
    return _(
        "This is stretching guidance, not medical advice. Stop if a stretch causes sharp pain, "
        "numbness or tingling."
    )


def help_text(commands: list[tuple[str, str]]) -> str:
    """The intro, every command the bot has registered, and the safety reminder."""
    lines = "\n".join(f"/{name}: {_(description)}" for name, description in commands)
    return f"{help_intro()}\n\n{lines}\n\n{help_footer()}"


def not_understood() -> str:
    return _("Sorry, I didn't catch that.")


def unknown_command() -> str:
    return _("I don't know that command.")


def not_text() -> str:
    return _("I can only read text messages and button taps.")


def edited() -> str:
    return _(
        "I only read new messages, not changes to old ones, so please send it again. "
        "If something hurts, send /pain."
    )


def not_subscribed_hint() -> str:
    return _("Send /start to set up your daily stretches.")


def menu_hint() -> str:
    return _("Here's what you can do now (or send /help for everything):")


def session_now() -> str:
    return _("▶️ Session now")


def settings() -> str:
    return _("⚙️ Settings")
