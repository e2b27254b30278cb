"""The offline shell can do the whole proposal flow: DM, dialogue, buttons, decisions, agenda."""

import io
import re
from datetime import datetime

from bot.offline.shell import Shell, ShellExecutor
from bot.offline.web_api import print_call
from bot.runtime.app import create_app
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from tests.conftest import AMS
from tests.fakes.slack import FakeSlack
from tests.support.factories import add_meeting

SCRIPT = """\
agendapunt: Hennepconvenant
ik wil iets agenderen
Jaarwisseling
geen
ivb
"""
# The summary's button carries the dialogue's token, printed with it: the second part clicks it.
AFTER_SUMMARY = """\
klik gesprek_indienen {token}
klik voorstel_agenderen 1:1
klik voorstel_aanhouden 2
/ivb voorstel Geen draagvlak
klik voorstel_afwijzen 3 Past niet bij het IVB
/ivb agenda
"""


def test_shell_runs_the_whole_flow(deps: Deps, clock: FixedClock) -> None:
    """Piped lines become DMs, commands and clicks; buttons show their values; every answer is printed."""
    with deps.sessions.begin() as s:
        for month in (3, 6):
            add_meeting(s, "ivb", datetime(2023, month, 20, 9, 30, tzinfo=AMS))
    out = io.StringIO()
    executor = ShellExecutor()
    with FakeSlack(on_call=lambda call: print_call(out, call)) as fake:
        deps.settings = deps.settings.model_copy(update={"slack_api_url": fake.url})
        app = create_app(deps, client=make_web_client(deps.settings), listener_executor=executor)
        shell = Shell(app, out, user_id="U0ADMIN0001", executor=executor)
        shell.run(io.StringIO(SCRIPT))
        token = re.search(r"\[Indienen\] \(klik gesprek_indienen ([0-9a-f]{16})\)", out.getvalue())
        assert token is not None
        shell.run(io.StringIO(AFTER_SUMMARY.format(token=token.group(1))))
    text = out.getvalue()
    assert "Je voorstel *#1 Hennepconvenant* is ingediend" in text
    assert "[Agenderen (ma 20 mrt 2023)] (klik voorstel_agenderen 1:1~ingediend)" in text
    assert "Agenderen op… di 20 jun 2023 09:30 (klik voorstel_agenderen_op 1:2~ingediend)" in text
    assert "Je voorstel *#2 Jaarwisseling* is ingediend" in text
    assert "staat op de agenda van het Integraal Veiligheidsberaad" in text
    assert "aangehouden en schuift door naar de vergadering van *dinsdag 20 juni 2023, 09:30*" in text
    assert "*Reden:* Past niet bij het IVB" in text
    assert "1. Hennepconvenant _(#1, @U0ADMIN0001)_" in text
    assert "fout" not in text
    # The confirmation is printed before the review post that the lazy listener makes.
    assert text.index("Je voorstel *#3 Geen draagvlak* is ingediend") < text.index(
        "#3 Geen draagvlak*\nIngediend"
    )
