"""deploy/kubernetes/: the z2jh values pass the chart's own schema, keep their promises, and the
guide's numbers are the measured ones.

No cluster and no network: the chart's schema and defaults are vendored beside values.yaml
(SCHEMA_SOURCE.md says from where), and the values are checked the way Helm checks them,
merged over the chart's defaults.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from course import syllabus

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy" / "kubernetes"
CHART_VERSION = "4.4.0"
CHART_COMMIT = "5c5f5df751588a68a7781ead01d0f62e88e2e72f"
GiB = 2 ** 30


def load_yaml(name: str):
    return yaml.safe_load((DEPLOY / name).read_text())


def load_json(path: str) -> dict:
    return json.loads((REPO / path).read_text())


VALUES = load_yaml("values.yaml")
SCHEMA = json.loads((DEPLOY / "values.schema.json").read_text())
DEFAULTS = load_yaml("chart-default-values.yaml")
README = (DEPLOY / "README.md").read_text()
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()
MANIFESTS = [d for d in yaml.safe_load_all((DEPLOY / "grading-service.yaml").read_text()) if d]
MEMORY = load_json("deploy/kubernetes/memory.json")


def helm_merge(defaults: dict, values: dict) -> dict:
    """Helm's coalescing of user values over chart defaults: maps merge, a null removes the key."""
    out = copy.deepcopy(defaults)
    for key, value in values.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def schema_errors(values: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in validator.iter_errors(helm_merge(DEFAULTS, values))]


def byte_size(spec) -> int:
    """KubeSpawner's sizes: a number of bytes, or K/M/G/T (powers of 1024)."""
    if isinstance(spec, (int, float)):
        return int(spec)
    number, unit = re.fullmatch(r"([0-9.]+)([KMGT]?)", str(spec)).groups()
    return int(float(number) * 1024 ** " KMGT".index(unit or " "))


def deployment() -> dict:
    (dep,) = [m for m in MANIFESTS if m["kind"] == "Deployment"]
    return dep


def grading_env() -> dict:
    (container,) = deployment()["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}


def student_nbgrader_config() -> str:
    return VALUES["singleuser"]["extraFiles"]["nbgrader-config"]["stringData"]


# --- the schema is the chart's, and values.yaml passes it -----------------------------------

def test_the_vendored_files_are_the_ones_schema_source_names():
    source = (DEPLOY / "SCHEMA_SOURCE.md").read_text()
    assert "jupyterhub/zero-to-jupyterhub-k8s" in source and CHART_COMMIT in source
    assert f"chart version | {CHART_VERSION}" in source
    for name in ("values.schema.json", "chart-default-values.yaml"):
        digest = hashlib.sha256((DEPLOY / name).read_bytes()).hexdigest()
        assert digest in source, f"{name} changed since it was vendored: update SCHEMA_SOURCE.md with its origin"


def test_the_schema_is_converted_as_the_chart_packages_it():
    """tools/generate-json-schema.py drops every `description` reached through `properties`."""
    jsonschema.Draft7Validator.check_schema(SCHEMA)

    def descriptions(node, path="") -> list[str]:
        found = [path] if "description" in node else []
        for key, sub in node.get("properties", {}).items():
            if isinstance(sub, dict):
                found += descriptions(sub, f"{path}.{key}")
        return found

    assert descriptions(SCHEMA) == []
    assert SCHEMA["additionalProperties"] is False  # a misspelled top-level key is an error


def test_values_pass_the_charts_schema():
    assert schema_errors(VALUES) == []


def test_the_chart_version_is_the_same_everywhere():
    assert f"Helm chart: jupyterhub {CHART_VERSION}" in (DEPLOY / "values.yaml").read_text()
    assert f"--version {CHART_VERSION}" in README
    assert f"version **{CHART_VERSION}**" in README


def _set(tree: dict, path: str, value) -> dict:
    tree = copy.deepcopy(tree)
    *parents, last = path.split(".")
    node = tree
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return tree


def _rename(tree: dict, path: str, new_name: str) -> dict:
    tree = copy.deepcopy(tree)
    *parents, last = path.split(".")
    node = tree
    for key in parents:
        node = node[key]
    node[new_name] = node.pop(last)
    return tree


@pytest.mark.parametrize("broken, why", [
    (_rename(VALUES, "singleuser", "singeluser"), "a misspelled top-level key"),
    (_rename(VALUES, "singleuser.memory", "memroy"), "a misspelled key where the chart allows no others"),
    (_set(VALUES, "singleuser.cpu.limit", "two"), "a CPU limit that is not a number"),
    (_set(VALUES, "singleuser.storage.type", "shared"), "a storage type the chart does not know"),
    (_set(VALUES, "singleuser.image.pullPolicy", "Sometimes"), "an image pull policy the chart does not know"),
    (_rename(VALUES, "hub.config.Authenticator", "authenticator"), "a hub.config section that is not a class name"),
    (_set(VALUES, "singleuser.extraFiles.nbgrader-config.mode", "0644"), "a file mode given as a string"),
])
def test_the_schema_check_can_fail(broken, why):
    assert schema_errors(broken), f"the schema check let through {why}"


# --- what the guide promises is in values.yaml ----------------------------------------------

def test_every_student_has_cpu_and_memory_limits_and_guarantees():
    su = VALUES["singleuser"]
    assert 0 < su["cpu"]["guarantee"] <= su["cpu"]["limit"]
    assert 0 < byte_size(su["memory"]["guarantee"]) <= byte_size(su["memory"]["limit"])
    # torch must not start a thread per core of the node
    assert int(su["extraEnv"]["OMP_NUM_THREADS"]) == su["cpu"]["limit"]
    assert su["storage"]["type"] == "dynamic" and su["storage"]["capacity"]


def test_memory_sizes_follow_the_measurement_as_the_guide_says():
    kernel = MEMORY["heaviest_lesson"]["kernel_peak_rss_mib"] * 2 ** 20
    lab = MEMORY["jupyterlab_idle_rss_mib"] * 2 ** 20
    half_gib = GiB // 2
    mem = VALUES["singleuser"]["memory"]
    assert byte_size(mem["guarantee"]) == math.ceil((kernel + lab) / half_gib) * half_gib
    assert byte_size(mem["limit"]) == math.ceil((2 * kernel + lab) / GiB) * GiB


def test_memory_json_summaries_are_its_own_rows():
    rows = MEMORY["notebooks"]
    for key, folder in (("heaviest_lesson", "lessons/"), ("heaviest_graded", "solutions/")):
        mine = [r for r in rows if r["notebook"].startswith(folder)]
        assert MEMORY[key] == max(mine, key=lambda r: r["kernel_peak_rss_mib"])
    lessons = {r["notebook"] for r in rows if r["notebook"].startswith("lessons/")}
    assert {d.lesson for d in syllabus.days()} <= lessons, "every day's lesson is measured"


def test_a_cpu_profile_by_default_and_a_gpu_profile():
    profiles = VALUES["singleuser"]["profileList"]
    defaults = [p for p in profiles if p.get("default")]
    assert len(defaults) == 1 and "gpu" not in json.dumps(defaults[0]).lower()
    gpu = [p for p in profiles if p.get("kubespawner_override", {}).get("extra_resource_limits")]
    assert len(gpu) == 1
    override = gpu[0]["kubespawner_override"]
    assert override["extra_resource_limits"] == {"nvidia.com/gpu": "1"}
    assert override["node_selector"]
    assert any(t["key"] == "nvidia.com/gpu" and t["effect"] == "NoSchedule" for t in override["tolerations"])
    assert int(override["environment"]["OMP_NUM_THREADS"]) == override["cpu_limit"]


def test_ngshare_is_the_exchange_on_both_sides():
    service = VALUES["hub"]["services"]["ngshare"]
    host, port = re.fullmatch(r"http://([\w-]+):(\d+)", service["url"]).groups()
    config = student_nbgrader_config()
    compile(config, "nbgrader_config.py", "exec")
    assert "from ngshare_exchange import configureExchange" in config
    (url,) = re.findall(r'configureExchange\(c, "([^"]+)"\)', config)
    assert url == f"http://{host}:{port}/services/ngshare"
    assert f'c.CourseDirectory.course_id = "{syllabus.course_id()}"' in config
    assert VALUES["singleuser"]["extraFiles"]["nbgrader-config"]["mountPath"] == "/etc/jupyter/nbgrader_config.py"
    # the chart blocks students' servers from private addresses: ngshare's port is let through
    (rule,) = VALUES["singleuser"]["networkPolicy"]["egress"]
    assert rule["to"][0]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": host}
    assert rule["ports"][0]["port"] == int(port)
    # the grading service uses the same exchange
    assert grading_env()["NGSHARE_URL"] == url
    ngshare = load_yaml("ngshare-values.yaml")
    assert "hub_api_token" not in ngshare["ngshare"]
    assert ngshare["ngshare"]["admins"] == VALUES["hub"]["config"]["Authenticator"]["admin_users"]


def test_the_grading_service_is_a_hub_service_with_its_own_token_and_role():
    assert "grading" in VALUES["hub"]["services"]
    roles = [r for r in VALUES["hub"]["loadRoles"].values() if "grading" in r.get("services", [])]
    assert len(roles) == 1 and roles[0]["scopes"]
    env = grading_env()
    assert env["JUPYTERHUB_API_TOKEN"] == {"secretKeyRef": {"name": "hub", "key": "hub.services.grading.apiToken"}}
    assert env["JUPYTERHUB_SERVICE_NAME"] == env["JUPYTERHUB_USER"] == "grading"
    assert env["JUPYTERHUB_API_URL"] == "http://hub:8081/hub/api"
    dep = deployment()
    pod = dep["spec"]["template"]
    assert pod["metadata"]["labels"]["hub.jupyter.org/network-access-hub"] == "true"
    assert dep["spec"]["replicas"] == 1 and dep["spec"]["strategy"]["type"] == "Recreate"
    (container,) = pod["spec"]["containers"]
    assert container["command"] == ["course", "feedback-service"]
    assert container["image"].endswith("-grader:" + VALUES["singleuser"]["image"]["tag"])


def test_the_grading_pod_is_sized_as_the_guide_says():
    (container,) = deployment()["spec"]["template"]["spec"]["containers"]
    requests, limits = container["resources"]["requests"], container["resources"]["limits"]
    assert requests == limits
    workers = int(grading_env()["COURSE_GRADING_WORKERS"])
    assert int(requests["cpu"]) == workers
    per_worker = math.ceil(MEMORY["heaviest_graded"]["kernel_peak_rss_mib"] * 2 ** 20 / GiB)
    assert requests["memory"] == f"{workers * per_worker + 2}Gi"


def test_login_is_per_person_with_the_instructor_as_admin():
    config = VALUES["hub"]["config"]
    authenticator = config["JupyterHub"]["authenticator_class"]
    assert authenticator not in {"dummy", "jupyterhub.auth.DummyAuthenticator", "null", "shared-password"}
    assert not {"DummyAuthenticator", "SharedPasswordAuthenticator"} & set(config)
    assert config["Authenticator"]["admin_users"]
    oauth = config["GenericOAuthenticator"]
    assert not oauth.get("allow_all") and oauth["allowed_groups"] and oauth["manage_groups"]
    assert "client_secret" not in oauth
    assert VALUES["hub"]["extraEnv"]["OAUTH_CLIENT_SECRET"]["valueFrom"]["secretKeyRef"]


SECRET_KEY = re.compile(r"secret|token|password|cookie|keys$", re.IGNORECASE)


def _secret_values(node, path=""):
    """Literal values stored under a key that names a secret (a reference to a Secret is fine)."""
    if isinstance(node, dict):
        for key, value in node.items():
            named_secret = SECRET_KEY.search(str(key)) and not str(key).lower().endswith("url")
            if named_secret and isinstance(value, (str, int, float)):
                yield f"{path}.{key}"
            yield from _secret_values(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _secret_values(value, f"{path}[{i}]")


@pytest.mark.parametrize("name", ["values.yaml", "ngshare-values.yaml", "grading-service.yaml"])
def test_no_secret_is_written_in_the_files(name):
    text = (DEPLOY / name).read_text()
    for doc in yaml.safe_load_all(text):
        assert list(_secret_values(doc)) == []
    # nothing that looks like a token or key either
    assert not re.search(r"\b[0-9a-fA-F]{32,}\b|\b[A-Za-z0-9+/]{40,}={0,2}", text)
    if name == "values.yaml":
        for service in VALUES["hub"]["services"].values():
            assert not {"apiToken", "api_token"} & set(service)


# --- the image ------------------------------------------------------------------------------

def _stage(name: str) -> list[str]:
    """The instructions of one build stage, each on one line (continuations joined, comments dropped)."""
    lines = [line for line in DOCKERFILE.splitlines() if not line.lstrip().startswith("#")]
    joined, current = [], ""
    for line in lines:
        current += " " + line.strip()
        if current.endswith("\\"):
            current = current[:-1]
            continue
        if current.strip():
            joined.append(" ".join(current.split()))
        current = ""
    starts = [i for i, ins in enumerate(joined) if ins.startswith("FROM ")]
    for begin, end in zip(starts, starts[1:] + [len(joined)]):
        if joined[begin].endswith(f" AS {name}"):
            return joined[begin:end]
    raise AssertionError(f"no stage {name}")


def test_the_base_image_is_pinned():
    bases = re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert bases[0].startswith("quay.io/jupyter/") and bases[1:] == ["student"]
    tag = bases[0].rsplit(":", 1)[1]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", tag), f"{bases[0]}: pin a dated tag, not one that moves"


def test_the_image_installs_the_course_as_the_makefile_does():
    makefile = (REPO / "Makefile").read_text()
    student = "\n".join(_stage("student"))
    (torch_pins,) = re.findall(r"pip install --quiet (torch==\S+ torchvision==\S+)", makefile)
    assert f"pip install --no-cache-dir {torch_pins}" in student
    (animal,) = re.findall(r"--no-deps (animal-mnist==\S+)", makefile)
    assert f"--no-deps {animal}" in student
    assert "COPY --chown=${NB_UID}:${NB_GID} course /tmp/course-build/course" in student
    assert 'pip install --no-cache-dir "/tmp/course-build[instructor]"' in student
    assert re.search(r"--no-deps ngshare_exchange==[\d.]+", student) and "rapidfuzz" in student


def test_students_get_the_assignment_list_and_validate_but_not_the_instructor_tools():
    student = "\n".join(_stage("student"))
    assert "for plugin in formgrader create-assignment course-list; do" in student
    assert 'labextension disable --level=sys_prefix "@jupyter/nbgrader:${plugin}"' in student
    assert 'labextension lock --level=sys_prefix "@jupyter/nbgrader:${plugin}"' in student
    for plugin in ("assignment-list", "validate-assignment"):
        assert f"labextension enable --level=sys_prefix @jupyter/nbgrader:{plugin}" in student
    # the server side: nbgrader's own settings file, replaced by the course's
    assert ("COPY --chown=${NB_UID}:${NB_GID} deploy/kubernetes/nbgrader-student-server-extensions.json "
            "${CONDA_DIR}/etc/jupyter/jupyter_server_config.d/nbgrader.json") in student
    settings = json.loads((DEPLOY / "nbgrader-student-server-extensions.json").read_text())
    assert settings == {"ServerApp": {"jpserver_extensions": {
        "nbgrader.server_extensions.assignment_list": True, "nbgrader.server_extensions.validate_assignment": True,
        "nbgrader.server_extensions.formgrader": False, "nbgrader.server_extensions.course_list": False}}}


def test_the_student_image_never_holds_solutions_or_grades():
    copied = [ins.split()[1:-1] for ins in _stage("student") if ins.startswith("COPY ")]
    sources = [word for words in copied for word in words if not word.startswith("--")]
    assert sources == ["pyproject.toml", "README.md", "course", "deploy/kubernetes/nbgrader-student-server-extensions.json"]
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    for path in (".venv", ".git", "autograder/gradebook.db", "autograder/submitted", "autograder/feedback"):
        assert path in ignored


def test_the_images_named_in_the_build_commands_are_the_ones_deployed():
    image = VALUES["singleuser"]["image"]
    commands = " ".join(DOCKERFILE.replace("\\\n#", " ").split())
    assert f"--target student -t {image['name']}:{image['tag']} ." in commands
    (container,) = deployment()["spec"]["template"]["spec"]["containers"]
    assert f"--target grader -t {container['image']} ." in commands


# --- the guide's numbers are the measured ones ----------------------------------------------

CITATION = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?) (?:s |MiB |submissions )?\[([\w/.-]+\.json): ([\w.]+)\]")


def _lookup(data: dict, dotted: str):
    for key in dotted.split("."):
        data = data[key]
    return data


def test_every_number_the_guide_quotes_matches_the_file_it_names():
    citations = CITATION.findall(README)
    assert len(citations) == README.count(".json: "), "a citation [FILE: KEY] without its number before it"
    for number, path, key in citations:
        assert path.startswith(("benchmarks/results/", "deploy/kubernetes/")), path
        measured = _lookup(load_json(path), key)
        assert float(number.replace(",", "")) == measured, f"the guide says {number} where {path} has {key} = {measured}"
    cited = {(p, k) for _, p, k in citations}
    assert {("benchmarks/results/parallel_grading.json", "seconds.course_workers_1"),
            ("benchmarks/results/parallel_grading.json", "seconds.course_workers_2"),
            ("benchmarks/results/grading_day04.json", "course_grade_s_per_submission_median"),
            ("benchmarks/results/day04_training.json", "seconds_median"),
            ("deploy/kubernetes/memory.json", "heaviest_lesson.kernel_peak_rss_mib"),
            ("deploy/kubernetes/memory.json", "heaviest_graded.kernel_peak_rss_mib"),
            ("deploy/kubernetes/memory.json", "jupyterlab_idle_rss_mib")} <= cited


def _2(x: float) -> str:
    """Two decimals, rounding half up as people do (21.125 -> 21.13)."""
    return str(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _g(x: float) -> str:
    """A number as the guide writes it: at most 3 decimals, no trailing zeros."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


def test_the_guides_arithmetic_follows_from_the_measurements():
    parallel = load_json("benchmarks/results/parallel_grading.json")
    day04 = load_json("benchmarks/results/grading_day04.json")
    n, w1, w2 = parallel["submissions"], parallel["seconds"]["course_workers_1"], parallel["seconds"]["course_workers_2"]
    day1 = 2 * w2 / n                  # core-seconds per submission, 2 workers on 2 cores
    day4 = 2 * day04["course_grade_s_per_submission_median"]
    text = " ".join(README.split())    # line breaks do not matter
    assert f"{_g(w1)} / {n} = {w1 / n:g} core-seconds per submission, 3600 / {w1 / n:g} = {round(3600 * n / w1)}" in text
    assert f"2 × {_g(w2)} / {n} = {_g(day1)} core-seconds" in text
    assert f"3600 / {_g(day1)} = **{round(3600 / day1)} submissions per core-hour**" in text
    assert f"2 × {_g(day4 / 2)} = {_g(day4)} core-seconds" in text
    assert f"3600 / {_g(day4)} = **{round(3600 / day4)} submissions per core-hour**" in text
    for students in (100, 300):
        for day, core_s in (("Day 1", day1), ("Day 4", day4)):
            work = students * core_s
            row = (f"| {students} students, {day} | {students} × {_g(core_s)} = {_g(work)} core-s "
                   f"| {_g(work)} / 60 = {_2(work / 60)}, so **{math.ceil(work / 60)} cores** "
                   f"| {_g(work)} / 3600 = {_2(work / 3600)}, so **{math.ceil(work / 3600)} core")
            assert row in text, row
    workers = int(grading_env()["COURSE_GRADING_WORKERS"])
    assert f"100 × {_g(day1)} / {workers} = {round(100 * day1 / workers)} s" in text
    assert f"100 × {_g(day4)} / {workers} = {round(100 * day4 / workers)} s" in text


def test_the_per_student_and_per_node_arithmetic_follows_from_the_values():
    su = VALUES["singleuser"]
    kernel, lab = MEMORY["heaviest_lesson"]["kernel_peak_rss_mib"], MEMORY["jupyterlab_idle_rss_mib"]
    text = " ".join(README.split())
    assert f"{kernel} + {lab} = {kernel + lab} MiB = {_2((kernel + lab) / 1024)} GiB" in text
    assert f"2 × {kernel} + {lab} = {2 * kernel + lab} MiB = {_2((2 * kernel + lab) / 1024)} GiB" in text
    guarantee_gib = byte_size(su["memory"]["guarantee"]) / GiB
    limit_gib = byte_size(su["memory"]["limit"]) / GiB
    assert f"rounded up to **{_g(guarantee_gib)} GiB**" in text and f"rounded up to **{_g(limit_gib)} GiB**" in text
    assert f"at most **{_g(su['cpu']['limit'])} CPUs**" in text and f"**{_g(su['cpu']['guarantee'])} CPU** reserved" in text
    cpu_node, mem_node = 15, 60        # the allocatable part of a 16 vCPU / 64 GiB node, as the guide assumes
    by_cpu, by_mem = cpu_node / su["cpu"]["guarantee"], mem_node / guarantee_gib
    per_node = math.floor(min(by_cpu, by_mem))
    assert f"by CPU: {cpu_node} / {_g(su['cpu']['guarantee'])} = {_g(by_cpu)} students" in text
    assert f"by memory: {mem_node} / {_g(guarantee_gib)} = {_g(by_mem)} students" in text
    assert f"**{per_node} students per node**" in text
    assert f"100 / {per_node} = {100 / per_node:.1f}, so **{math.ceil(100 / per_node)} nodes**" in text
    assert f"{cpu_node} / {per_node} = {_g(cpu_node / per_node)} CPU" in text
    assert f"{per_node} × {_g(limit_gib)} = {_g(per_node * limit_gib)} GiB" in text
