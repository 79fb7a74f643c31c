"""serverless.yml packages: `serverless package` (v3, offline, dummy credentials) and what it produced.

One packaging run per module (about 15 s: the Serverless Framework plus a pip install of
requirements-lambda.txt); every test reads its template or zip. Needs node and npm: without them
the module is skipped locally and fails in CI.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from skill.store.dynamodb import ATTRIBUTE_NAME, PARTITION_KEY
from tests.conftest import read_request, with_changes
from tests.deploy.conftest import aws_test_environment

pytestmark = pytest.mark.slow  # runs the Serverless Framework and pip

REPO = Path(__file__).resolve().parents[2]
SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
STAGE = "ci"
PACKAGE_SECONDS = 600
# Shipped by the Lambda Python runtime, so left out of the zip (see requirements-lambda.txt).
LAMBDA_RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath")
WEB_AND_LOCAL_ONLY = ("flask", "werkzeug", "gtts", "jinja2", "click", "lameenc", "miniaudio", "gunicorn",
                      "tests", "audio", "moto", "cfnlint")
NEVER_IN_THE_ZIP = (*WEB_AND_LOCAL_ONLY, *LAMBDA_RUNTIME_PACKAGES, "node_modules")
MAX_ZIP_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Packaged:
    """What `serverless package` wrote."""

    directory: Path
    template: dict[str, Any]

    @property
    def template_path(self) -> Path:
        return self.directory / "cloudformation-template-update-stack.json"

    @property
    def zip_path(self) -> Path:
        return self.directory / "leg-day-coach.zip"

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: body for name, body in self.template["Resources"].items() if body["Type"] == kind}

    def resource(self, kind: str) -> dict[str, Any]:
        (found,) = self.resources(kind).values()
        return found


def _missing_tool(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must have it to prove serverless.yml packages")
    pytest.skip(reason)


def serverless_command() -> Path:
    """The pinned Serverless Framework v3 from node_modules, installed with `npm ci` if need be."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        _missing_tool("node and npm are needed to run the Serverless Framework (npm ci; npx serverless package)")
    command = REPO / "node_modules" / ".bin" / "serverless"
    if not command.exists():
        installed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=REPO, capture_output=True, text=True, timeout=PACKAGE_SECONDS,
        )
        if installed.returncode != 0 or not command.exists():
            pytest.fail(f"npm ci failed:\n{installed.stdout[-3000:]}\n{installed.stderr[-3000:]}")
    return command


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Packaged:
    """Run `serverless package` once for this module, into a temporary folder."""
    command = serverless_command()
    out = tmp_path_factory.mktemp("serverless-package")
    environment = {
        **os.environ,
        **aws_test_environment(out),
        # pythonBin is `python3`: this interpreter's (the virtualenv's), which has pip.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "SLS_TELEMETRY_DISABLED": "1",
        "SLS_NOTIFICATIONS_MODE": "off",
    }
    result = subprocess.run(
        [str(command), "package", "--stage", STAGE, f"--param=skillId={SKILL_ID}", "--package", str(out)],
        cwd=REPO, env=environment, capture_output=True, text=True, timeout=PACKAGE_SECONDS,
    )
    assert result.returncode == 0, f"serverless package failed:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
    template = json.loads((out / "cloudformation-template-update-stack.json").read_text(encoding="utf-8"))
    return Packaged(out, template)


def test_the_template_passes_cfn_lint(packaged: Packaged) -> None:
    lint = "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", lint, str(packaged.template_path)], capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_stack_creates_the_table_the_adapter_expects(packaged: Packaged) -> None:
    (name, table), = packaged.resources("AWS::DynamoDB::Table").items()
    properties = table["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["KeySchema"] == [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}]
    assert properties["AttributeDefinitions"] == [{"AttributeName": PARTITION_KEY, "AttributeType": "S"}]
    assert properties["TableName"] == f"leg-day-coach-{STAGE}-progress"
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    assert ATTRIBUTE_NAME not in {key["AttributeName"] for key in properties["KeySchema"]}

    environment = packaged.resource("AWS::Lambda::Function")["Properties"]["Environment"]["Variables"]
    assert environment["LEGDAY_STORE"] == "dynamodb"
    assert environment["LEGDAY_DYNAMODB_TABLE"] == {"Ref": name}


def test_the_function_may_read_and_write_only_that_table(packaged: Packaged) -> None:
    table_arn = {"Fn::GetAtt": [next(iter(packaged.resources("AWS::DynamoDB::Table"))), "Arn"]}
    role = packaged.resource("AWS::IAM::Role")["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": ["lambda.amazonaws.com"]}
    assert "ManagedPolicyArns" not in role
    statements = [statement for policy in role["Policies"] for statement in policy["PolicyDocument"]["Statement"]]
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert all("*" not in action for action in statement["Action"]), statement
        assert statement["Resource"] != "*"

    dynamodb = [statement for statement in statements if any(a.startswith("dynamodb:") for a in statement["Action"])]
    assert len(dynamodb) == 1
    assert sorted(dynamodb[0]["Action"]) == ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"]
    assert dynamodb[0]["Resource"] == table_arn
    others = [action for statement in statements if statement is not dynamodb[0] for action in statement["Action"]]
    assert all(action.startswith("logs:") for action in others)


def test_only_this_skill_can_invoke_the_function(packaged: Packaged) -> None:
    (permission,) = packaged.resources("AWS::Lambda::Permission").values()
    properties = permission["Properties"]
    assert properties["Principal"] == "alexa-appkit.amazon.com"
    assert properties["EventSourceToken"] == SKILL_ID
    assert properties["Action"] == "lambda:InvokeFunction"
    function_name = next(iter(packaged.resources("AWS::Lambda::Function")))
    assert properties["FunctionName"] == {"Fn::GetAtt": [function_name, "Arn"]}


def test_the_function_is_the_sdk_entry_with_deliberate_limits(packaged: Packaged) -> None:
    function = packaged.resource("AWS::Lambda::Function")["Properties"]
    module, _, name = function["Handler"].rpartition(".")
    assert callable(getattr(import_module(module), name))
    assert function["Runtime"] == "python3.11"
    assert function["Architectures"] == ["arm64"]
    assert function["MemorySize"] == 1024
    assert function["Timeout"] < 8, "Alexa stops waiting after about 8 seconds"
    assert function["Environment"]["Variables"]["LEGDAY_SKILL_ID"] == SKILL_ID
    assert packaged.resource("AWS::Logs::LogGroup")["Properties"]["RetentionInDays"] == 14
    assert not packaged.resources("AWS::Lambda::Version"), "versions would pile up on every deploy"
    assert "SkillFunctionArn" in packaged.template["Outputs"]


def test_the_zip_holds_the_skill_and_its_sdk_and_nothing_else(packaged: Packaged) -> None:
    assert packaged.zip_path.stat().st_size < MAX_ZIP_BYTES
    with zipfile.ZipFile(packaged.zip_path) as archive:
        names = archive.namelist()
        ours = {name: archive.read(name) for name in names if name.startswith(("skill/", "intents/"))}
    tops = {name.split("/")[0].removesuffix(".py") for name in names}
    assert {"skill", "intents", "ask_sdk_core", "ask_sdk_model", "ask_sdk_dynamodb", "requests"} <= tops
    assert tops.isdisjoint(NEVER_IN_THE_ZIP)
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert "skill/lambda_function.py" in ours
    assert "skill/app.py" not in ours
    assert any(name.startswith("skill/content/") and name.endswith(".toml") for name in ours)
    for name, source in ours.items():
        if name.endswith(".py"):
            imported = _imported_top_level_modules(source)
            assert imported.isdisjoint(WEB_AND_LOCAL_ONLY), f"{name} imports {imported & set(WEB_AND_LOCAL_ONLY)}"


def _imported_top_level_modules(source: bytes) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_zip_answers_alexa_with_only_what_the_lambda_runtime_adds(
    packaged: Packaged, tmp_path: Path, dynamodb_endpoint: str, progress_table: Any
) -> None:
    # Unzip as Lambda does, put beside it only the packages the Python runtime ships, and answer a
    # launch and a workout start on a screen device (so the APL document must be in the zip too) in
    # an isolated interpreter: no site-packages, no working-copy modules.
    task, runtime = tmp_path / "task", tmp_path / "runtime"
    with zipfile.ZipFile(packaged.zip_path) as archive:
        archive.extractall(task)
    runtime.mkdir()
    for name in LAMBDA_RUNTIME_PACKAGES:
        (runtime / name).symlink_to(Path(import_module(name).__file__).parent)
    script = f"""
import json, sys
sys.path[:0] = [{str(task)!r}, {str(runtime)!r}]
import skill.lambda_function as entry
answers = [entry.handler(event, None) for event in json.loads(sys.stdin.read())]
files = [getattr(module, "__file__", None) or "" for module in list(sys.modules.values())]
print(json.dumps({{"answers": answers, "files": files}}))
"""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        **aws_test_environment(tmp_path),
        "LEGDAY_DYNAMODB_TABLE": progress_table.name,
        "LEGDAY_DYNAMODB_ENDPOINT": dynamodb_endpoint,
        "LEGDAY_SKILL_ID": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000",
    }
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script], input=json.dumps([read_request("launch"), with_changes(read_request("start_workout"), screen=True)]),
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    launch, start = (answer["response"] for answer in output["answers"])
    assert launch["shouldEndSession"] is False
    assert "Leg Day Coach" in launch["outputSpeech"]["ssml"]
    assert [directive["type"] for directive in start["directives"]] == ["Alexa.Presentation.APL.RenderDocument"]
    site_packages = [path for path in output["files"] if "site-packages" in path]
    assert not site_packages, "the zip leaned on this machine's packages"
    assert progress_table.get_item(Key={PARTITION_KEY: "amzn1.ask.account.LOCAL-DEVELOPER"}).get("Item")


def test_requirements_lambda_pins_versions_pyproject_allows() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = {
        Requirement(line).name.lower(): Requirement(line).specifier
        for line in [*project["dependencies"], *project["optional-dependencies"]["dynamodb"]]
    }
    pins = [
        Requirement(line)
        for line in (REPO / "requirements-lambda.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert pins
    for pin in pins:
        (specifier,) = pin.specifier
        assert specifier.operator == "==", f"{pin} is not pinned"
        if pin.name.lower() in allowed:
            assert allowed[pin.name.lower()].contains(specifier.version), f"{pin} is outside pyproject.toml"
    assert {"ask-sdk-core", "ask-sdk-dynamodb-persistence-adapter"} <= {pin.name.lower() for pin in pins}
    assert {pin.name.lower() for pin in pins}.isdisjoint({"flask", "gtts", "boto3", "botocore"})
