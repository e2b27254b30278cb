"""The deployment files name only commands, settings and ports that exist, and pass their tools' checks.

Covers deploy/systemd/*, deploy/nginx/vggbot.conf, Dockerfile and compose.yaml. The container files
cannot be built here (no container daemon), so they are read as text and YAML.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.runtime import cli
from bot.runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "deploy" / "systemd"
NGINX_CONF = ROOT / "deploy" / "nginx" / "vggbot.conf"
UNITS = ("vggbot.service", "vggbot-backup.service", "vggbot-backup.timer")
INSTALLED_VGGBOT = "/opt/vggbot/.venv/bin/vggbot"
# Python's and pip's own switches that the image and the unit set; they are not VGG-bot settings.
PYTHON_ENV = {
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK",
}


def _settings_fields() -> dict[str, Any]:
    """Environment variable name -> pydantic field of Settings (no env prefix, names upper-cased)."""
    settings_class = Settings
    return {name.upper(): field for name, field in settings_class.model_fields.items()}


def _default_port() -> int:
    port = _settings_fields()["PORT"].default
    assert isinstance(port, int)
    return port


def _parse_cli(argv: list[str]) -> Any:
    """The argparse namespace for `vggbot ARGV`, or None when the CLI refuses it."""
    parser = cli._parser()
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            return parser.parse_args(argv)
        except SystemExit:
            return None


def _check_command(argv: list[str], where: str) -> Any:
    args = _parse_cli(argv)
    assert args is not None, f"{where}: `vggbot {shlex.join(argv)}` is not a command of the CLI"
    return args


def _listen_port(args: Any) -> int:
    """The port `vggbot run --http` listens on: --port, else PORT's default."""
    return int(args.port) if args.port is not None else _default_port()


# --- systemd -------------------------------------------------------------------------------------


def _unit_entries(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) for every assignment; keys may repeat (ExecStart=, SystemCallFilter=)."""
    entries: list[tuple[str, str, str]] = []
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


def _unit_values(path: Path, key: str) -> list[str]:
    return [value for _, k, value in _unit_entries(path) if k == key]


def _vggbot_invocations_in_units() -> list[tuple[str, list[str]]]:
    """Every `vggbot ...` the units run, comments included (the HTTP-mode and pg_dump hints)."""
    found: list[tuple[str, list[str]]] = []
    for unit in UNITS:
        for line in (SYSTEMD / unit).read_text(encoding="utf-8").splitlines():
            match = re.search(re.escape(INSTALLED_VGGBOT) + r"\s+([^'\n]*)", line)
            if match:
                found.append((unit, shlex.split(match.group(1))))
    return found


def test_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """systemd-analyze verify accepts the service, the backup service and its timer without a warning."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian: apt-get install systemd)")
    # verify checks that each ExecStart program exists and is executable, and /opt/vggbot is not
    # installed here. So the copies name the `vggbot` console script of the venv running this test
    # (the same entry point, installed by `pip install`), or the interpreter itself where the script
    # is missing; every other byte of the units is what ships.
    script = Path(sys.executable).with_name("vggbot")
    program = str(script) if script.is_file() else sys.executable
    for unit in UNITS:
        text = (SYSTEMD / unit).read_text(encoding="utf-8")
        (tmp_path / unit).write_text(text.replace(INSTALLED_VGGBOT, program), encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", "--man=no", *(str(tmp_path / unit) for unit in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # An unknown key or a bad value is only a warning ("..., ignoring") and exits 0: read the output.
    ours = [line for line in output.splitlines() if str(tmp_path) in line or "vggbot" in line]
    assert ours == [], output


def test_service_runs_the_bot_as_vggbot_with_hardening() -> None:
    """vggbot.service runs `vggbot run` as user vggbot, restarts on failure and is sandboxed."""
    unit = SYSTEMD / "vggbot.service"
    expected = {
        "User": "vggbot",
        "Group": "vggbot",
        "EnvironmentFile": "/etc/vggbot/vggbot.env",
        "Restart": "on-failure",
        "StateDirectory": "vggbot",
        "WorkingDirectory": "/var/lib/vggbot",
        "StandardOutput": "journal",
        "StandardError": "journal",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "ProtectKernelTunables": "yes",
        "ProtectControlGroups": "yes",
        "RestrictSUIDSGID": "yes",
        "LockPersonality": "yes",
    }
    for key, value in expected.items():
        assert _unit_values(unit, key) == [value], key
    assert _unit_values(unit, "ExecStart") == [f"{INSTALLED_VGGBOT} run"]
    assert _unit_values(unit, "RestartSec"), "RestartSec is missing"
    assert "/var/lib/vggbot" in _unit_values(unit, "ReadWritePaths")[0].split()
    assert "DATABASE_URL=sqlite:////var/lib/vggbot/vggbot.sqlite3" in _unit_values(unit, "Environment")


@pytest.mark.parametrize(
    ("unit", "argv"),
    _vggbot_invocations_in_units(),
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_units_run_existing_vggbot_commands(unit: str, argv: list[str]) -> None:
    """Every vggbot command a unit runs or suggests in a comment is a command of the CLI."""
    args = _check_command(argv, unit)
    if argv[0] == "run" and args.http:
        assert _listen_port(args) == _default_port()


def test_units_set_only_known_settings() -> None:
    """Environment= in the units names only Settings fields (and Python's own switches)."""
    fields = _settings_fields()
    for unit in UNITS:
        for assignment in _unit_values(SYSTEMD / unit, "Environment"):
            name = assignment.partition("=")[0]
            assert name in fields or name in PYTHON_ENV, f"{unit}: {name} is not a setting"


# --- nginx ---------------------------------------------------------------------------------------


def test_nginx_forwards_only_the_bots_paths_to_its_port() -> None:
    """nginx proxies the five public paths to 127.0.0.1:PORT, buffers, and keeps /metrics internal."""
    conf = NGINX_CONF.read_text(encoding="utf-8")
    assert re.findall(r"^\s*server (127\.0\.0\.1:\d+);", conf, re.M) == [f"127.0.0.1:{_default_port()}"]
    locations = re.findall(r"^\s*location ([^{]+?)\s*\{", conf, re.M)
    assert locations == [
        "= /slack/events",
        "= /health",
        "= /metrics",
        "= /kalender.ics",
        "^~ /kalender/",
        "/",
    ]
    assert re.search(r"location / \{\s*return 404;", conf)
    metrics = conf[conf.index("location = /metrics") :]
    metrics = metrics[: metrics.index("}\n    location")]
    assert "deny all;" in metrics
    for directive in (
        "client_max_body_size 1m;",
        "proxy_buffering on;",
        "proxy_request_buffering on;",
        "proxy_pass http://vggbot;",
    ):
        assert directive in conf, directive


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    """`nginx -t` accepts deploy/nginx/vggbot.conf inside an http block, with a throwaway certificate."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    openssl = shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx or openssl is not installed (Debian: apt-get install nginx-light openssl)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    self_signed = [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=vggbot.example.nl",
    ]
    subprocess.run(
        [openssl, *self_signed, "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    # Only the paths outside the config's own text are redirected: certificates and the access log.
    conf = (
        NGINX_CONF.read_text(encoding="utf-8")
        .replace("/etc/letsencrypt/live/vggbot.example.nl/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/vggbot.example.nl/privkey.pem", str(key))
        .replace("/var/log/nginx/vggbot.access.log", str(tmp_path / "access.log"))
    )
    (tmp_path / "vggbot.conf").write_text(conf, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\nhttp {{\n"
        f"    client_body_temp_path {tmp_path}/body;\n    proxy_temp_path {tmp_path}/proxy;\n"
        f"    include {tmp_path}/vggbot.conf;\n}}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-e", "stderr", "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- Dockerfile ----------------------------------------------------------------------------------


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        instruction, _, arguments = (pending + line).partition(" ")
        instructions.append((instruction.upper(), arguments.strip()))
        pending = ""
    return instructions


def _docker_values(instruction: str) -> list[str]:
    return [arguments for name, arguments in _dockerfile() if name == instruction]


def test_dockerfile_runs_an_existing_command_as_vggbot_on_python_311_slim() -> None:
    """The image is python:3.11-slim, runs as vggbot, and its CMD is `vggbot run --http`."""
    assert _docker_values("FROM") == ["python:3.11-slim"]
    assert _docker_values("USER") == ["vggbot"]
    assert any("useradd" in run and run.endswith(" vggbot") for run in _docker_values("RUN"))
    (cmd,) = _docker_values("CMD")
    argv = json.loads(cmd)
    assert argv[:1] == ["vggbot"]
    args = _check_command(argv[1:], "Dockerfile CMD")
    assert args.cmd == "run"
    assert args.http


def test_dockerfile_sets_only_known_settings() -> None:
    """ENV in the Dockerfile names only Settings fields (and Python's own switches)."""
    fields = _settings_fields()
    for arguments in _docker_values("ENV"):
        for assignment in shlex.split(arguments):
            name, sep, _ = assignment.partition("=")
            assert sep, f"ENV {assignment}: use the NAME=value form"
            assert name in fields or name in PYTHON_ENV, f"Dockerfile: {name} is not a setting"


def test_dockerfile_port_and_health_check_match_the_settings() -> None:
    """EXPOSE and the health check's URL use PORT's default, the port `vggbot run --http` listens on."""
    port = _default_port()
    assert _docker_values("EXPOSE") == [str(port)]
    (healthcheck,) = _docker_values("HEALTHCHECK")
    assert "urllib.request" in healthcheck
    assert "/health" in healthcheck
    assert f"os.environ.get('PORT', '{port}')" in healthcheck
    argv = json.loads(_docker_values("CMD")[0])
    assert _listen_port(_check_command(argv[1:], "Dockerfile CMD")) == port


# --- compose.yaml --------------------------------------------------------------------------------


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _bot_services() -> dict[str, dict[str, Any]]:
    """The services that run the bot's image (a `vggbot ...` command)."""
    services: dict[str, dict[str, Any]] = _compose()["services"]
    return {name: svc for name, svc in services.items() if svc.get("command", [""])[0] == "vggbot"}


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.partition("=")[::2] for item in env)
    return {str(key): str(value) for key, value in env.items()}


def test_compose_runs_existing_commands_and_known_settings() -> None:
    """Every bot service's command is a CLI command and its environment names only Settings fields."""
    fields = _settings_fields()
    services = _bot_services()
    assert services, "compose.yaml runs no vggbot service"
    for name, service in services.items():
        _check_command(service["command"][1:], f"compose.yaml {name}")
        assert service.get("env_file"), f"{name}: no env_file"
        for variable in _environment(service):
            assert variable in fields, f"compose.yaml {name}: {variable} is not a setting"


def test_compose_runs_two_http_replicas_on_one_postgresql_15() -> None:
    """Two HTTP-mode replicas share one DATABASE_URL on the PostgreSQL 15 service, after one migration."""
    services = _compose()["services"]
    replicas = {
        name: svc for name, svc in _bot_services().items() if svc["command"][1:3] == ["run", "--http"]
    }
    assert len(replicas) == 2
    urls = {_environment(svc)["DATABASE_URL"] for svc in _bot_services().values()}
    assert len(urls) == 1
    (url,) = urls
    assert url.startswith("postgresql+psycopg://")
    database_host = url.rpartition("@")[2].partition(":")[0]
    assert services[database_host]["image"] == "postgres:15"
    migrations = [name for name, svc in _bot_services().items() if svc["command"][1:] == ["db", "upgrade"]]
    assert len(migrations) == 1
    for service in replicas.values():
        assert service["depends_on"][migrations[0]]["condition"] == "service_completed_successfully"


def test_compose_ports_match_the_settings() -> None:
    """Each replica publishes the container port that `vggbot run --http` listens on."""
    for name, service in _bot_services().items():
        if service["command"][1] != "run":
            continue
        port = _listen_port(_check_command(service["command"][1:], f"compose.yaml {name}"))
        published = [str(mapping).rpartition(":")[2] for mapping in service.get("ports", [])]
        assert published == [str(port)], f"{name} publishes {published}, the bot listens on {port}"
