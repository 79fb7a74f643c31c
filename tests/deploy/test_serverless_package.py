"""serverless.yml packages: `make lambda-package` (the bytecode, then `serverless package` v3, offline,
dummy credentials) and what it produced.

One packaging run per module (about 15 s: the Serverless Framework plus a pip install of
requirements-lambda.txt), started with a stale unchecked-hash pyc planted beside a source, as an
old packaging run could leave one; every test reads its template or zip. Needs make, node and npm:
without them the module is skipped locally and fails in CI.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import py_compile
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

from skill.config import Settings
from skill.store.dynamodb import PARTITION_KEY, SORT_KEY, make_dynamodb_store
from skill.store.records import NO_RECORD, Owner
from tests.conftest import read_request, with_changes
from tests.deploy.conftest import aws_test_environment
from tests.store.conftest import workout

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
    if shutil.which("node") is None or shutil.which("npm") is None or shutil.which("make") is None:
        _missing_tool("make, node and npm are needed to package (npm ci; make lambda-package)")
    command = REPO / "node_modules" / ".bin" / "serverless"
    if not command.exists():
        installed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=REPO, capture_output=True, text=True, timeout=PACKAGE_SECONDS,
        )
        if installed.returncode != 0 or not command.exists():
            pytest.fail(f"npm ci failed:\n{installed.stdout[-3000:]}\n{installed.stderr[-3000:]}")
    return command


# A module whose stale bytecode is planted before packaging (see ``packaged``).
PLANTED = REPO / "skill" / "ssml.py"
STALE_SOURCE = "raise RuntimeError('stale bytecode of an old source')\n"


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Packaged:
    """Run `make lambda-package` once for this module, into a temporary folder, over a stale pyc."""
    serverless_command()
    out = tmp_path_factory.mktemp("serverless-package")
    environment = {
        **os.environ,
        **aws_test_environment(out),
        "SLS_TELEMETRY_DISABLED": "1",
        "SLS_NOTIFICATIONS_MODE": "off",
    }
    stale = Path(importlib.util.cache_from_source(str(PLANTED)))
    old_source = out / "old_ssml.py"
    old_source.write_text(STALE_SOURCE, encoding="utf-8")
    py_compile.compile(str(old_source), cfile=str(stale), doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    try:
        result = subprocess.run(
            # LAMBDA_PYTHON: this interpreter (the virtualenv's), which has pip for the requirements.
            ["make", "--no-print-directory", "lambda-package", f"LAMBDA_PYTHON={sys.executable}", f"STAGE={STAGE}",
             f"SKILL_ID={SKILL_ID}", f"SERVERLESS_OPTIONS=--package {out}"],
            cwd=REPO, env=environment, capture_output=True, text=True, timeout=PACKAGE_SECONDS,
        )
    finally:
        stale.unlink(missing_ok=True)
    assert result.returncode == 0, f"make lambda-package failed:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
    template = json.loads((out / "cloudformation-template-update-stack.json").read_text(encoding="utf-8"))
    return Packaged(out, template)


def test_the_template_passes_cfn_lint(packaged: Packaged) -> None:
    lint = "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", lint, str(packaged.template_path)], capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def tables(packaged: Packaged) -> dict[str, dict[str, Any]]:
    """The stack's tables by the environment variable that names them to the skill."""
    by_name = packaged.resources("AWS::DynamoDB::Table")
    return {variable: by_name[name] for variable, name in _table_names(packaged).items()}


def test_the_stack_creates_the_tables_the_store_expects(packaged: Packaged) -> None:
    assert len(packaged.resources("AWS::DynamoDB::Table")) == 2
    live, log = tables(packaged)["LEGDAY_DYNAMODB_TABLE"], tables(packaged)["LEGDAY_DYNAMODB_LOG_TABLE"]
    assert live["Properties"]["KeySchema"] == [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}]
    assert live["Properties"]["AttributeDefinitions"] == [{"AttributeName": PARTITION_KEY, "AttributeType": "S"}]
    assert live["Properties"]["TableName"] == f"leg-day-coach-{STAGE}-progress", "the table today's users are in"
    assert log["Properties"]["KeySchema"] == [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
                                              {"AttributeName": SORT_KEY, "KeyType": "RANGE"}]
    assert log["Properties"]["AttributeDefinitions"] == [{"AttributeName": key, "AttributeType": "S"}
                                                         for key in (PARTITION_KEY, SORT_KEY)]
    assert log["Properties"]["TableName"] == f"leg-day-coach-{STAGE}-log"
    for table in (live, log):
        assert table["Properties"]["BillingMode"] == "PAY_PER_REQUEST"
        assert table["Properties"]["SSESpecification"] == {"SSEEnabled": True}
        assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
        assert "GlobalSecondaryIndexes" not in table["Properties"]
    assert packaged.resource("AWS::Lambda::Function")["Properties"]["Environment"]["Variables"]["LEGDAY_STORE"] == (
        "dynamodb")


def granted(packaged: Packaged) -> dict[str, set[str]]:
    """The DynamoDB actions the function's role allows, by the environment variable naming the table."""
    role = packaged.resource("AWS::IAM::Role")["Properties"]
    statements = [statement for policy in role["Policies"] for statement in policy["PolicyDocument"]["Statement"]]
    by_arn = {json.dumps({"Fn::GetAtt": [name, "Arn"]}, sort_keys=True): variable
              for variable, name in _table_names(packaged).items()}
    allowed: dict[str, set[str]] = {}
    for statement in statements:
        actions = [action for action in statement["Action"] if action.startswith("dynamodb:")]
        if actions:
            variable = by_arn[json.dumps(statement["Resource"], sort_keys=True)]
            assert variable not in allowed, "one statement per table"
            allowed[variable] = set(actions)
    return allowed


def _table_names(packaged: Packaged) -> dict[str, str]:
    environment = packaged.resource("AWS::Lambda::Function")["Properties"]["Environment"]["Variables"]
    return {variable: environment[variable]["Ref"] for variable in ("LEGDAY_DYNAMODB_TABLE", "LEGDAY_DYNAMODB_LOG_TABLE")}


def test_the_function_may_do_only_what_the_store_does_and_only_to_its_tables(packaged: Packaged) -> None:
    role = packaged.resource("AWS::IAM::Role")["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": ["lambda.amazonaws.com"]}
    assert "ManagedPolicyArns" not in role
    statements = [statement for policy in role["Policies"] for statement in policy["PolicyDocument"]["Statement"]]
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert all("*" not in action for action in statement["Action"]), statement
        assert statement["Resource"] != "*"
        actions = statement["Action"]
        assert all(action.startswith("logs:") for action in actions) or all(
            action.startswith("dynamodb:") for action in actions), statement
    assert granted(packaged) == {
        "LEGDAY_DYNAMODB_TABLE": {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
        "LEGDAY_DYNAMODB_LOG_TABLE": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                                      "dynamodb:BatchWriteItem"},
    }


# A write inside TransactWriteItems needs the permission of the write it is; a read inside
# TransactGetItems that of GetItem.
TRANSACTION_WRITES = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                      "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}


def actions_in_the_code() -> set[str]:
    """Every DynamoDB action skill/store/dynamodb.py can call: its client's methods, and the writes it
    puts in transactions (the keys of its transaction items)."""
    tree = ast.parse((REPO / "skill" / "store" / "dynamodb.py").read_text(encoding="utf-8"))
    actions: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "client"):
            actions.add("".join(part.title() for part in node.func.attr.split("_")))
        if isinstance(node, ast.Dict):
            actions |= {TRANSACTION_WRITES[key.value] for key in node.keys
                        if isinstance(key, ast.Constant) and key.value in TRANSACTION_WRITES}
    assert {"TransactWriteItems", "TransactGetItems"} <= actions
    return {f"dynamodb:{action}" for action in actions - {"TransactWriteItems", "TransactGetItems"}}


def test_the_granted_actions_are_exactly_those_the_code_calls(packaged: Packaged) -> None:
    allowed = granted(packaged)
    assert set().union(*allowed.values()) == actions_in_the_code()


def test_each_table_is_granted_exactly_what_the_store_does_to_it(
    packaged: Packaged, dynamodb_settings: Settings, progress_table: Any
) -> None:
    # Every path of the store, with each call (and each write inside a transaction) recorded
    # against the table it names.
    store = make_dynamodb_store(dynamodb_settings)
    names = {dynamodb_settings.dynamodb_table: "LEGDAY_DYNAMODB_TABLE",
             dynamodb_settings.dynamodb_log_table: "LEGDAY_DYNAMODB_LOG_TABLE"}
    done: dict[str, set[str]] = {}

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in {"TransactWriteItems", "TransactGetItems"}:
            for item in params["TransactItems"]:
                ((kind, write),) = item.items()
                done.setdefault(names[write["TableName"]], set()).add(f"dynamodb:{TRANSACTION_WRITES[kind]}")
        elif model.name == "BatchWriteItem":
            for table in params["RequestItems"]:
                done.setdefault(names[table], set()).add("dynamodb:BatchWriteItem")
        else:
            done.setdefault(names[params["TableName"]], set()).add(f"dynamodb:{model.name}")

    store.client.meta.events.register("provide-client-params.dynamodb.*", record)
    anna, me = Owner("amzn1.ask.account.ME", "amzn1.ask.person.ANNA"), Owner("amzn1.ask.account.ME")
    progress_table.put_item(Item={PARTITION_KEY: me.key, "attributes": {"schema": 1}})  # saved by the old adapter
    assert store.health() is None
    revision = store.save(anna, {"n": 1}, based_on=NO_RECORD)
    revision = store.save(anna, {"n": 2}, based_on=revision, log=[workout(1)], summary={"workouts": 1})
    both, alone = make_dynamodb_store(dynamodb_settings), make_dynamodb_store(dynamodb_settings)
    for reader in (both, alone):  # workers that hold nothing: the record and summary together, the summary alone
        reader.client.meta.events.register("provide-client-params.dynamodb.*", record)
    assert both.load(anna, with_summary=True).summary_at == revision
    assert alone.load_summary(anna, revision) == {"workouts": 1}
    store.save(me, {"n": 1}, based_on=store.load(me).revision)
    assert store.log_page(anna) and store.log_page(anna, exercise="squat")
    store.delete_account(me.user_id)
    assert done == granted(packaged)


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
    assert {"skill", "intents", "ask_sdk_core", "ask_sdk_model", "requests"} <= tops
    assert "ask_sdk_dynamodb" not in tops, "the store speaks to DynamoDB itself"
    assert tops.isdisjoint(NEVER_IN_THE_ZIP)
    assert not [name for name in names if name.endswith(".pyc") and not name.startswith(("skill/", "intents/"))], (
        "slim drops the requirements' bytecode")
    assert "skill/lambda_function.py" in ours
    assert "skill/app.py" not in ours
    assert any(name.startswith("skill/content/") and name.endswith(".toml") for name in ours)
    for name, source in ours.items():
        if name.endswith(".py"):
            imported = _imported_top_level_modules(source)
            assert imported.isdisjoint(WEB_AND_LOCAL_ONLY), f"{name} imports {imported & set(WEB_AND_LOCAL_ONLY)}"


def test_every_packaged_module_ships_fresh_bytecode_for_the_runtime_and_nothing_else_does(packaged: Packaged) -> None:
    # The pyc beside each packaged source, named for the runtime's Python (any other ignores it),
    # unchecked-hash (loaded without reading the source) and compiled from exactly the source in the
    # zip: the stale pyc planted before packaging did not survive.
    runtime = packaged.resource("AWS::Lambda::Function")["Properties"]["Runtime"]
    tag = "cpython-" + runtime.removeprefix("python").replace(".", "")
    assert sys.implementation.cache_tag == tag, "the tests run on the runtime's Python"
    with zipfile.ZipFile(packaged.zip_path) as archive:
        names = archive.namelist()
        sources = {name: archive.read(name) for name in names
                   if name.startswith(("skill/", "intents/")) and name.endswith(".py")}
        expected = {f"{folder}/__pycache__/{stem}.{tag}.pyc": source for name, source in sources.items()
                    for folder, _, stem in [name.removesuffix(".py").rpartition("/")]}
        assert {name for name in names if name.endswith(".pyc")} == set(expected)
        assert {name for name in names if "__pycache__" in name} == set(expected)
        for name, source in expected.items():
            pyc = archive.read(name)
            assert pyc[:4] == importlib.util.MAGIC_NUMBER, name
            assert int.from_bytes(pyc[4:8], "little") == 0b01, f"{name} is not an unchecked-hash pyc"
            assert pyc[8:16] == importlib.util.source_hash(source), f"{name} was compiled from another source"
    assert "skill/__pycache__/app.cpython-311.pyc" not in names
    assert f"skill/__pycache__/{PLANTED.stem}.{tag}.pyc" in expected
    assert not Path(importlib.util.cache_from_source(str(PLANTED))).exists(), "no unchecked pyc is left behind"


def _imported_top_level_modules(source: bytes) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def in_german(body: dict[str, Any]) -> dict[str, Any]:
    body["request"]["locale"] = "de-DE"
    return body


def test_the_zip_answers_alexa_with_only_what_the_lambda_runtime_adds(
    packaged: Packaged, tmp_path: Path, dynamodb_endpoint: str, progress_table: Any, log_table: Any
) -> None:
    # Unzip as Lambda does, put beside it only the packages the Python runtime ships, and answer a
    # launch and a workout start on a screen device (so the APL document must be in the zip too) in
    # an isolated interpreter: no site-packages, no working-copy modules, and none of the skill's
    # modules compiled from source (each loads from the zip's bytecode).
    task, runtime = tmp_path / "task", tmp_path / "runtime"
    with zipfile.ZipFile(packaged.zip_path) as archive:
        archive.extractall(task)
    runtime.mkdir()
    for name in LAMBDA_RUNTIME_PACKAGES:
        (runtime / name).symlink_to(Path(import_module(name).__file__).parent)
    script = f"""
import json, sys
import importlib._bootstrap_external as external
compiled = []
source_to_code = external.SourceLoader.source_to_code
def recording(loader, data, path, *, _optimize=-1):
    compiled.append(path)
    return source_to_code(loader, data, path, _optimize=_optimize)
external.SourceLoader.source_to_code = recording
sys.path[:0] = [{str(task)!r}, {str(runtime)!r}]
import skill.lambda_function as entry
answers = [entry.handler(event, None) for event in json.loads(sys.stdin.read())]
files = [getattr(module, "__file__", None) or "" for module in list(sys.modules.values())]
print(json.dumps({{"answers": answers, "files": files, "compiled": compiled}}))
"""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        **aws_test_environment(tmp_path),
        "LEGDAY_DYNAMODB_TABLE": progress_table.name,
        "LEGDAY_DYNAMODB_LOG_TABLE": log_table.name,
        "LEGDAY_DYNAMODB_ENDPOINT": dynamodb_endpoint,
        "LEGDAY_SKILL_ID": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000",
    }
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script],
        input=json.dumps([read_request("launch"), with_changes(read_request("start_workout"), screen=True),
                          read_request("can_fulfill_start_workout"), in_german(read_request("launch"))]),
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    launch, start, can_fulfill, german = (answer["response"] for answer in output["answers"])
    assert launch["shouldEndSession"] is False
    assert "Leg Day Coach" in launch["outputSpeech"]["ssml"]
    assert [directive["type"] for directive in start["directives"]] == ["Alexa.Presentation.APL.RenderDocument"]
    assert can_fulfill["canFulfillIntent"]["canFulfill"] == "YES", "the interaction model is in the zip"
    # The German launch finds the workout started above: the offer to resume it, in German.
    assert "Du hast bei Beinschwingen aufgehört" in german["outputSpeech"]["ssml"], "the German words are in the zip"
    site_packages = [path for path in output["files"] if "site-packages" in path]
    assert not site_packages, "the zip leaned on this machine's packages"
    ours = [path for path in output["files"] if path.startswith((str(task / "skill"), str(task / "intents")))]
    assert len(ours) > 40
    compiled_ours = [path for path in output["compiled"] if path.startswith((str(task / "skill"), str(task / "intents")))]
    assert not compiled_ours, "every module of the skill loads from the zip's bytecode"
    assert any(path.startswith(str(task / "ask_sdk_core")) for path in output["compiled"]), "the recording works"
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
    assert "ask-sdk-core" in {pin.name.lower() for pin in pins}
    assert {pin.name.lower() for pin in pins}.isdisjoint({"flask", "gtts", "boto3", "botocore"})
