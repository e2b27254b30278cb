"""The README's pictures are drawn from the real builders on the demo calendar."""

import json
import re
from pathlib import Path

from bot.offline.pictures import SURFACES, write
from tests.support.blockcheck import assert_valid_message, assert_valid_view


def test_pictures_json_is_what_the_bot_sends(tmp_path: Path) -> None:
    """`python -m bot.offline.pictures DIR` writes a valid body for every surface and the names of every
    mention in them, so no picture shows a bare id."""
    written = write(tmp_path)
    assert [p.stem for p in written] == list(SURFACES)
    names = json.loads((tmp_path / "names.json").read_text(encoding="utf-8"))
    for path in written:
        body = json.loads(path.read_text(encoding="utf-8"))
        if "view" in body:
            assert_valid_view(body["view"])
        else:
            assert_valid_message(body)
        for user in set(re.findall(r"<@(U[0-9A-Z]+)>", path.read_text(encoding="utf-8"))):
            assert user in names, (path.name, user)
    volgende = (tmp_path / "volgende.json").read_text(encoding="utf-8")
    assert "uiterlijk *morgen 09:30*" in volgende
    assert "2 ingediend, 1 geagendeerd" in volgende
