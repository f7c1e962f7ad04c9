"""/help and the answers to messages the bot cannot use."""

from __future__ import annotations

from bot.i18n import N_, _

COMMANDS = {"help": N_("What I can do")}

HELP_INTRO = (
    "🤸 <b>Stretchbot</b> sends you a short stretching routine for your legs and back on the "
    "days you choose, and guides you through it."
)
HELP_FOOTER = (
    "This is stretching guidance, not medical advice. Stop if a stretch causes sharp pain, "
    "numbness or tingling."
)


def help_text(commands: list[tuple[str, str]]) -> str:
    """The intro, every command the bot has registered, and the safety reminder."""
    lines = "\n".join(f"/{name}: {_(description)}" for name, description in commands)
    return f"{HELP_INTRO}\n\n{lines}\n\n{HELP_FOOTER}"


NOT_UNDERSTOOD = "Sorry, I didn't catch that."
UNKNOWN_COMMAND = "I don't know that command."
NOT_TEXT = "I can only read text messages and button taps."
EDITED = (
    "I only read new messages, not changes to old ones, so please send it again. "
    "If something hurts, send /pain."
)
NOT_SUBSCRIBED_HINT = "Send /start to set up your daily stretches."
MENU_HINT = "Here's what you can do now (or send /help for everything):"
SESSION_NOW = "▶️ Session now"
SETTINGS = "⚙️ Settings"
