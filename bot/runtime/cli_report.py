"""`vggbot report open`: the open items as CSV for the secretariaat, in the form Dutch Excel opens
as columns (`;`, UTF-8 with a BOM) or plain comma CSV, with Slack ids or, with --namen, names."""

from __future__ import annotations

import io
import sys
from typing import IO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime.cli_commands import report_open
from bot.runtime.deps import Deps
from bot.runtime.logs import exception_summary
from bot.runtime.slack_client import make_web_client


class SlackNames:
    """Slack ids to names via users.info, each id asked once per run. An id Slack does not know stays
    as it is; when Slack cannot be reached, one warning and the ids for the rest of the run."""

    def __init__(self, client: WebClient, *, warn: IO[str]) -> None:
        self.client = client
        self.warn = warn
        self.names: dict[str, str] = {}
        self.unreachable = False

    def __call__(self, user_id: str) -> str:
        if not user_id.startswith(("U", "W")) or self.unreachable:
            return user_id
        if user_id not in self.names:
            self.names[user_id] = self._ask(user_id)
        return self.names[user_id]

    def _ask(self, user_id: str) -> str:
        try:
            user = self.client.users_info(user=user_id)["user"]
        except SlackApiError:
            return user_id  # user_not_found: a removed account keeps its id
        except Exception as exc:  # no connection, a timeout: the report is still worth having
            self.unreachable = True
            print(
                f"vggbot: namen opvragen bij Slack lukt niet ({exception_summary(exc)}); het overzicht "
                "houdt de Slack-ID's",
                file=self.warn,
            )
            return user_id
        profile = user.get("profile") or {}
        for name in (profile.get("real_name"), user.get("real_name"), profile.get("display_name")):
            if name:
                return str(name)
        return str(user.get("name") or user_id)


def _utf8(stream: IO[str]) -> IO[str]:
    """stdout as UTF-8 whatever the locale, so the BOM and the accents are what Excel expects."""
    if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
        stream.reconfigure(encoding="utf-8")
    return stream


def report_open_cli(deps: Deps, *, overleg_key: str | None, excel: bool, with_names: bool) -> int:
    """`vggbot report open [--overleg KEY] [--format excel|csv] [--namen]`."""
    names = None
    if with_names:
        if not deps.settings.has_slack_tokens:
            print("vggbot: --namen heeft SLACK_BOT_TOKEN nodig", file=sys.stderr)
            return 2
        names = SlackNames(make_web_client(deps.settings), warn=sys.stderr)
    return report_open(deps, overleg_key=overleg_key, out=_utf8(sys.stdout), excel=excel, names=names)
