"""Security rules checked on the source and on hostile files.

- SQL only with parameters: no `execute()` whose SQL is built with an
  f-string, `%`, `+` or `.format()` anywhere in bot/.
- Nothing loaded from disk executes code: no pickle/marshal/shelve/dill, no
  eval/exec/compile/__import__, YAML only through `safe_load`, numpy arrays
  only with `allow_pickle=False`, no `shell=True`; and a knowledge file whose
  front matter asks for `!!python/object` is reported as bad front matter,
  its payload never run.
"""

from __future__ import annotations

import ast

import pytest

from conftest import ROOT, load_articles

SOURCES = sorted((ROOT / "bot").rglob("*.py"))
SQL_METHODS = {"execute", "executemany", "executescript"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}


SAFE_LOADERS = {"SafeLoader", "CSafeLoader"}


def _safe_loader(call: ast.Call) -> bool:
    """yaml.load(..., Loader=yaml.SafeLoader / yaml.CSafeLoader): safe_load itself, spelt out."""
    loader = [k.value for k in call.keywords if k.arg == "Loader"]
    return (getattr(call.func, "attr", "") == "load" and len(loader) == 1 and isinstance(loader[0], ast.Attribute)
            and isinstance(loader[0].value, ast.Name) and loader[0].value.id == "yaml"
            and loader[0].attr in SAFE_LOADERS)


def test_the_yaml_scan_allows_only_the_safe_loaders():
    calls = [n for n in ast.walk(ast.parse(
        "yaml.load(t)\nyaml.load(t, Loader=yaml.Loader)\nyaml.load(t, Loader=yaml.UnsafeLoader)\n"
        "yaml.load(t, Loader=CSafeLoader)\nyaml.full_load(t)\nyaml.load(t, Loader=yaml.CSafeLoader)\n"
        "yaml.load(t, Loader=yaml.SafeLoader)")) if isinstance(n, ast.Call)]
    assert [_safe_loader(c) for c in calls] == [False, False, False, False, False, True, True]


def _trees():
    for path in SOURCES:
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _constant_names(tree: ast.AST) -> set[str]:
    """Names only ever bound to string literals or concatenations of them (`sql += " WHERE ..."`)."""
    values: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            if node.value is not None:
                values.setdefault(node.target.id, []).append(node.value)
    sequences = {name: bound[0] for name, bound in values.items()
                 if len(bound) == 1 and isinstance(bound[0], (ast.Tuple, ast.List))}
    for node in ast.walk(tree):  # `for statement in SCHEMA:` over a tuple of literals
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            seq = sequences.get(node.iter.id) if isinstance(node.iter, ast.Name) else node.iter
            elements = seq.elts if isinstance(seq, (ast.Tuple, ast.List)) else [node.iter]
            values.setdefault(node.target.id, []).extend(elements)
    constant: set[str] = set()
    # Parameters of a wrapper like State.execute(sql, params): its callers are scanned too.
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in SQL_METHODS:
            constant.update(a.arg for a in node.args.args if a.arg != "self")
    changed = True
    while changed:
        changed = False
        for name, bound in values.items():
            if name not in constant and all(_literal(v, constant) for v in bound):
                constant.add(name)
                changed = True
    return constant


def _literal(node: ast.AST, constant: set[str]) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Name):
        return node.id in constant
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left, constant) and _literal(node.right, constant)
    return False


def _built_string(node: ast.AST, constant: set[str] = frozenset()) -> bool:
    """SQL built from values: an f-string, `%`, `.format()`, or `+` with a non-literal part."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return not _literal(node, set(constant))
    if isinstance(node, ast.Name):
        return node.id not in constant
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def test_the_source_scan_sees_the_package():
    assert len(SOURCES) > 20
    assert any(p.name == "state.py" for p in SOURCES)


def test_sql_is_never_built_from_strings():
    offenders, seen = [], 0
    for path, tree in _trees():
        constant = _constant_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in SQL_METHODS and node.args:
                seen += 1
                if _built_string(node.args[0], constant):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert seen >= 3  # the scan found the state file's statements
    assert offenders == [], f"SQL built with formatting (use ? parameters): {offenders}"


def test_the_sql_scan_catches_formatting():
    bad = ast.parse('db.execute(f"SELECT * FROM t WHERE id = {x}")\ndb.execute("... %s" % x)\n'
                    'db.execute("a {}".format(x))\ndb.execute("WHERE id = " + x)\n'
                    'sql = "SELECT " + col\ndb.execute(sql)')
    constant = _constant_names(bad)
    calls = [n for n in ast.walk(bad) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "execute"]
    assert len(calls) == 5 and all(_built_string(c.args[0], constant) for c in calls)
    good = ast.parse('sql = "SELECT a FROM t"\nif x:\n    sql += " WHERE b = ?"\ndb.execute(sql + " ORDER BY a", p)\n'
                     'db.execute("SELECT 1 " "FROM t")')
    constant = _constant_names(good)
    calls = [n for n in ast.walk(good) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "execute"]
    assert len(calls) == 2 and not any(_built_string(c.args[0], constant) for c in calls)


def test_nothing_loaded_from_disk_can_execute_code():
    offenders = []
    for path, tree in _trees():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                offenders += [f"{where}:{node.lineno} import {a.name}" for a in node.names
                              if a.name.split(".")[0] in FORBIDDEN_MODULES]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
                offenders.append(f"{where}:{node.lineno} from {node.module}")
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                    offenders.append(f"{where}:{node.lineno} {func.id}()")
                if isinstance(func, ast.Attribute):
                    owner = func.value.id if isinstance(func.value, ast.Name) else ""
                    if owner == "yaml" and func.attr in UNSAFE_YAML and not _safe_loader(node):
                        offenders.append(f"{where}:{node.lineno} yaml.{func.attr}()")
                    if owner in ("np", "numpy") and func.attr == "load":
                        pickle_kw = [k for k in node.keywords if k.arg == "allow_pickle"]
                        if not (pickle_kw and isinstance(pickle_kw[0].value, ast.Constant)
                                and pickle_kw[0].value.value is False):
                            offenders.append(f"{where}:{node.lineno} np.load without allow_pickle=False")
                for kw in node.keywords:
                    if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                        offenders.append(f"{where}:{node.lineno} shell=True")
    assert offenders == []


@pytest.mark.parametrize("payload", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "!!python/name:os.system",
])
def test_python_object_front_matter_is_rejected_not_executed(tmp_path, payload):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    marker = tmp_path / "pwned"
    (knowledge / "evil.md").write_text(
        f"---\ntitle: {payload.format(marker=marker)}\nlang: fr\n---\nUn texte tout à fait normal.\n",
        encoding="utf-8")
    (knowledge / "good.md").write_text("---\ntitle: Bon\nlang: fr\n---\nUn autre texte.\n", encoding="utf-8")
    corpus = load_articles(knowledge, lambda _text: "fr")
    assert [a.title for a in corpus.articles] == ["Bon"]
    [problem] = corpus.problems
    assert "evil.md" in str(problem.path)
    assert "front matter" in problem.reason
    assert not marker.exists()


def test_settings_with_python_tags_are_a_config_error(config_copy):
    from bot.core.config import load_settings
    from bot.core.errors import ConfigError

    settings = config_copy / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "admins: []", "admins: !!python/object/apply:os.getpid []"), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(config_copy)
    assert "settings.yaml" in str(error.value)


def test_the_session_token_scan_finds_a_leak(tmp_path):
    """The scan behind conftest's session check really looks at the output files."""
    import bot_process

    class FakeProc:
        returncode = 0

        def poll(self):
            return 0

    api = type("Api", (), {"token": "123:SECRETSECRETSECRET"})()
    process = bot_process.BotProcess(api, tmp_path / "s.sqlite3", tmp_path / "logs")
    process.runs = 1
    (tmp_path / "logs").mkdir()
    process._out = open(tmp_path / "logs" / "stdout-1.txt", "w+", encoding="utf-8")
    process._err = open(tmp_path / "logs" / "stderr-1.txt", "w+", encoding="utf-8")
    process._err.write("GET http://127.0.0.1/bot123%3ASECRETSECRETSECRET/getMe\n")
    process.proc = FakeProc()
    before = list(bot_process.LEAKS)
    try:
        process.stop()
        found = bot_process.LEAKS[len(before):]
        assert ("url-encoded token" in {form for _, form in found}) and all("stderr-1" in w for w, _ in found)
    finally:
        bot_process.LEAKS[:] = before
