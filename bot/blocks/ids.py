"""Every action_id, callback_id and block_id the bot's messages and forms carry, defined once.

The values are Dutch and stay as they are: buttons on messages posted weeks ago still send them.
"""

from __future__ import annotations

# Proposals: the form, the review post, the proposer's buttons.
OPEN_PROPOSAL_FORM = "voorstel_openen"
SCHEDULE_PROPOSAL = "voorstel_agenderen"
SCHEDULE_PROPOSAL_ON = "voorstel_agenderen_op"
DEFER_PROPOSAL = "voorstel_aanhouden"
REJECT_PROPOSAL = "voorstel_afwijzen"
WITHDRAW_PROPOSAL = "voorstel_intrekken"
EDIT_PROPOSAL = "voorstel_bewerken"
NEW_PROPOSAL_VIEW = "voorstel_nieuw"
EDIT_PROPOSAL_VIEW = "voorstel_bewerken"
REJECT_REASON_VIEW = "voorstel_afwijzen_reden"
DECIDE_FROM_LIST = "voorstel_besluit"  # the ⋯ menu on an open proposal in `/ivb open` (secretariaat)

# The proposal dialogue's summary.
SUBMIT_DIALOGUE = "gesprek_indienen"
CANCEL_DIALOGUE = "gesprek_annuleren"

# Action points.
COMPLETE_ACTION = "actiepunt_afgerond"
REOPEN_ACTION = "actiepunt_heropenen"
MOVE_ACTION_DUE = "actiepunt_datum"
ACTION_VIEW = "actiepunt_formulier"
ACTION_DUE_BLOCK_PREFIX = "actiepunt:"  # + the action point's id, on the block with its date picker

# Lists.
OPEN_MORE = "open_meer"  # the next proposals
OPEN_MORE_ACTIONS = "open_meer_acties"  # the next action points
SHOW_CALENDAR = "kalender_tonen"
CALENDAR_MORE = "kalender_meer"  # the next meetings of `/ivb kalender`, in place
JOIN_MEETING = "vergadering_deelnemen"  # a link button (Teams, Zoom): Slack still sends the click

# Message shortcut (manifest.yml).
PROPOSE_MESSAGE_SHORTCUT = "agendeer_bericht"

# Input blocks of the forms; the action inside each input is always INPUT_VALUE.
INPUT_VALUE = "waarde"
TITLE_BLOCK = "titel"
EXPLANATION_BLOCK = "toelichting"
OVERLEG_BLOCK = "overleg"
MEETING_BLOCK = "vergadering"
REASON_BLOCK = "reden"
OWNER_BLOCK = "eigenaar"
TEXT_BLOCK = "tekst"
DUE_BLOCK = "deadline"

# The besluitenlijst after a meeting: the DM's button, the form (in pages) and its fields. A field's
# block id is "<field>:<proposal id>"; the words are the service's field names
# (bot.services.minutes_record), so a refusal lands on its field.
FILL_MINUTES = "besluitenlijst_invullen"
MINUTES_VIEW = "besluitenlijst"
MINUTES_OUTCOME = "uitkomst"
MINUTES_DECISION = "besluit"
MINUTES_OWNER = "actie_eigenaar"
MINUTES_ACTION = "actie_tekst"
MINUTES_DUE = "actie_datum"

# Confidential items: the secretariaat's button on the review post, the proposer's checkbox in the forms.
TOGGLE_CONFIDENTIAL = "voorstel_vertrouwelijk"
CONFIDENTIAL_BLOCK = "vertrouwelijk"
