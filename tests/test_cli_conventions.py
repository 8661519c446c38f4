"""Shell conventions (issue 19.7): ``--version``, shell completion, the global ``--vault`` accepted after the
command too, usage errors exit 2 on every command, and ``--format json`` on every command that prints JSON
(``--json`` kept where it was)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer.completion
from typer.testing import CliRunner

import datavault
from datavault.cli import app
from tests.conftest import write_text

runner = CliRunner()
CHAT = "12/07/2017, 22:35 - Ana: Hola\n12/07/2017, 22:36 - Sam: hi there\n"


@pytest.fixture
def imported(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    result = runner.invoke(app, ["--vault", str(vault), "import", str(chat), "--me", "Sam"])
    assert result.exit_code == 0, result.output
    return vault


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"datavault {datavault.__version__}\n"


def test_version_of_the_installed_command():
    result = subprocess.run([sys.executable, "-m", "datavault", "--version"], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, f"datavault {datavault.__version__}\n")


def test_shell_completion_is_offered(monkeypatch):
    help_text = runner.invoke(app, ["--help"]).stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    # typer finds the shell from the parent processes: none when the tests run outside a shell (a CI runner)
    monkeypatch.setattr(typer.completion, "_get_shell_name", lambda: "bash")
    script = runner.invoke(app, ["--show-completion"], prog_name="datavault")
    assert script.exit_code == 0, script.output
    assert "_DATAVAULT_COMPLETE" in script.stdout


def test_shell_completion_completes_commands_and_options():
    env = {**os.environ, "_DATAVAULT_COMPLETE": "complete_bash", "COMP_WORDS": "datavault rep", "COMP_CWORD": "1"}
    result = subprocess.run([sys.executable, "-c", "from datavault.cli import app; app(prog_name='datavault')"], env=env,
                            capture_output=True, text=True)
    assert result.stdout.split() == ["report"], result.stderr
    env.update(COMP_WORDS="datavault export messages --f", COMP_CWORD="3")
    result = subprocess.run([sys.executable, "-c", "from datavault.cli import app; app(prog_name='datavault')"], env=env,
                            capture_output=True, text=True)
    assert result.stdout.split() == ["--format"], result.stderr


@pytest.mark.parametrize("args", [
    ["inventory", "--vault", "{v}"],
    ["inventory", "--vault={v}"],
    ["inventory", "--json", "--vault", "{v}"],
    ["export", "messages", "--vault", "{v}", "--format", "csv"],
    ["report", "--format", "json", "--vault", "{v}", "--tz", "UTC"],
    ["score", "--vault", "{v}", "--format", "json"],
])
def test_vault_after_the_command(imported, args):
    after = runner.invoke(app, [a.format(v=imported) for a in args])
    assert after.exit_code == 0, after.output
    before = runner.invoke(app, ["--vault", str(imported), *[a for a in args if "{v}" not in a and a != "--vault"]])
    assert before.exit_code == 0, before.output
    if args[0] in ("report", "score"):  # their JSON carries the time it was made
        assert json.loads(after.stdout).keys() == json.loads(before.stdout).keys()
    else:
        assert after.stdout == before.stdout


def test_vault_after_import_and_forget(tmp_path):
    vault = tmp_path / "after.sqlite"
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    result = runner.invoke(app, ["import", str(chat), "--me", "Sam", "--vault", str(vault)])
    assert result.exit_code == 0, result.output
    assert vault.exists()
    result = runner.invoke(app, ["forget", "--all", "--vault", str(vault)])
    assert result.exit_code == 0, result.output
    assert not vault.exists()


def test_the_last_vault_given_wins_and_a_path_after_double_dash_is_a_path(tmp_path, monkeypatch):
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    chat = write_text(tmp_path, "--vault.txt", CHAT)  # a file really called --vault.txt
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--vault", str(first), "import", "--me", "Sam", "--vault", str(second),
                                 "--", "--vault.txt"])
    assert result.exit_code == 0, result.output
    assert second.exists() and not first.exists()
    assert chat.name in result.stderr


def test_vault_without_a_path_after_the_command_says_where_it_goes(tmp_path):
    result = runner.invoke(app, ["inventory", "--vault"])
    assert result.exit_code == 2
    assert "--vault needs a PATH" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [
    ["--bogus", "inventory"], ["nosuchcommand"], [],
    ["import"], ["import", "x.zip", "--bogus"], ["import", ""], ["import", "x.zip", "--format", "xml"],
    ["import", "x.zip", "--json", "--format", "text"],
    ["inventory", "--bogus"], ["inventory", "extra"], ["inventory", "--format", "csv"],
    ["inventory", "--json", "--format", "text"],
    ["export"], ["export", "messages", "--format", "xml"], ["export", "messages", "--bogus"],
    ["export", "messages", "--bom"],
    ["forget", "--bogus"], ["forget", "abc"], ["forget", "1", "2"], ["forget"], ["forget", "1", "--all"],
    ["report", "--format", "pdf"], ["report", "--bogus"], ["report", "--out"],
    ["score", "--format", "html"], ["score", "extra"],
    ["bias", "--format", "x"], ["bias", "--timeout", "soon"],
    ["demo", "--scale", "0"], ["demo", "--seed", "x"], ["demo", "extra"],
])
def test_usage_errors_exit_2_on_every_command(tmp_path, args):
    result = runner.invoke(app, ["--vault", str(tmp_path / "v.sqlite"), *args])
    assert result.exit_code == 2, (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert not (tmp_path / "v.sqlite").exists()


def test_format_json_is_the_json_switch_everywhere(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    by_format = runner.invoke(app, ["--vault", str(vault), "import", str(chat), "--me", "Sam", "--format", "json"])
    assert by_format.exit_code == 0, by_format.output
    again = runner.invoke(app, ["--vault", str(vault), "import", str(chat), "--me", "Sam", "--json"])
    first, second = json.loads(by_format.stdout), json.loads(again.stdout)
    assert first["sources"][0]["records"] == second["sources"][0]["records"] == {"messages": 2, "people": 1}
    text = runner.invoke(app, ["--vault", str(vault), "import", str(chat), "--me", "Sam", "--format", "text"])
    assert text.exit_code == 0 and text.stdout == "" and "Imported" in text.stderr

    inventory = {flag: runner.invoke(app, ["--vault", str(vault), "inventory", *flag.split()])
                 for flag in ("--json", "--format json", "--format text", "")}
    assert json.loads(inventory["--json"].stdout) == json.loads(inventory["--format json"].stdout)
    assert inventory["--format text"].stdout == inventory[""].stdout and "Source 1" in inventory[""].stdout

    jsonl = runner.invoke(app, ["--vault", str(vault), "export", "messages"]).stdout
    assert runner.invoke(app, ["--vault", str(vault), "export", "messages", "--format", "json"]).stdout == jsonl
    for command in (["report", "--tz", "UTC"], ["score"], ["bias"]):
        result = runner.invoke(app, ["--vault", str(vault), *command, "--format", "json"])
        assert result.exit_code == 0, (command, result.output)
        json.loads(result.stdout)


def test_every_command_says_where_vault_goes():
    for name in ("import", "inventory", "export", "forget", "report", "score", "bias", "demo"):
        help_text = " ".join(runner.invoke(app, [name, "--help"]).stdout.split())
        assert "--vault PATH" in help_text, name
