"""The typed-text safety gate: every private text message is read for symptoms first.

"My leg is numb" typed on the time step, "I wet myself" on the time-zone step, "sharp pain in
my back" in the middle of a hold: whatever the person was doing, a message that mentions a
symptom (`content/symptoms.yaml` and the German, Spanish and Russian `symptoms.<lang>.yaml`, all
read at once whatever the person's language, matched by `bot.domain.symptoms`) opens the pain
triage at once, urgent question first, and nothing else sees the message. So no parser reads it
as a time or a city, no menu offers a session, and a running session is paused at the step it
was on (`pain.begin`). The step the person was on (an onboarding question, a settings picker)
is left as it was, so they can carry on from it once the triage allows.

The gate is installed by the app factory whatever features are chosen (safety is not optional),
in its own handler group after the private-chat guard and before every feature, and stops the
update (`ApplicationHandlerStop`) only when it matched. The message text is never
stored or logged: the log says that the gate matched and the tier.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.chat import pain
from bot.chat.services import AnyContext, services_of
from bot.domain.symptoms import matcher_for_all

logger = logging.getLogger(__name__)

#: After the private-chat guard (group -2), before every feature (group 0 and later).
GATE_GROUP = -1
GUARD_GROUP = -2
#: Edited messages are read before the guard, which otherwise asks for them to be sent again.
EDITS_GATE_GROUP = -3
#: Who blocked the bot and who is back is noted before anything else can reply.
REACHABILITY_GROUP = -4


async def read_for_symptoms(update: Update, context: AnyContext) -> None:
    """Open the triage for a message that mentions a symptom; let anything else through."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    text = message.text or message.caption
    if not text:
        return
    content = services_of(context).content
    found = matcher_for_all(content.lexicons).match(text)
    if found is None:
        return
    tier = found.tier.value if found.tier is not None else "opener"
    logger.info("typed text mentioned a symptom (tier %s): opening the triage", tier)
    intro = content.symptoms.lead_in(found.flag, found.tier)
    await pain.begin(update, context, pain.FROM_TYPED, intro=intro)
    raise ApplicationHandlerStop


GATE = MessageHandler(
    filters.ChatType.PRIVATE
    & filters.UpdateType.MESSAGE
    & (filters.TEXT | filters.CAPTION)
    & ~filters.COMMAND,
    read_for_symptoms,
)

GATE_EDITS = MessageHandler(
    filters.ChatType.PRIVATE
    & filters.UpdateType.EDITED_MESSAGE
    & (filters.TEXT | filters.CAPTION)
    & ~filters.COMMAND,
    read_for_symptoms,
)
"""A message edited into "I can't feel my legs" is heard too; any other edit goes on to the
private-chat guard, which asks for it to be sent again."""
