"""The type stubs say what the package has: every public call and method, with the same
parameters and defaults."""

import ast
import inspect
import pathlib

import callsim
import callsim._native as native


def _stub_functions(path: pathlib.Path):
    """(qualified name, parameter names, defaults as source) of each def in a .pyi."""
    tree = ast.parse(path.read_text())
    found = {}

    def visit(body, prefix):
        for node in body:
            if isinstance(node, ast.FunctionDef):
                args = node.args
                names = [a.arg for a in args.args]
                defaults = [ast.unparse(d) for d in args.defaults]
                found[prefix + node.name] = (names, defaults)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, prefix + node.name + ".")

    visit(tree.body, "")
    return found


def _real(obj):
    names = list(inspect.signature(obj).parameters)
    defaults = [repr(p.default) for p in inspect.signature(obj).parameters.values() if p.default is not inspect.Parameter.empty]
    return names, defaults


def test_the_package_stub_matches_the_package():
    stubs = _stub_functions(pathlib.Path(callsim.__file__).with_name("__init__.pyi"))
    for name in callsim.__all__:
        obj = getattr(callsim, name)
        if inspect.isfunction(obj):
            assert stubs[name] == _real(obj), name
        else:
            methods = [m for m, v in vars(obj).items() if inspect.isfunction(v) and not m.startswith("_")]
            for m in methods + ["__init__"]:
                assert stubs[f"{name}.{m}"] == _real(vars(obj)[m]), f"{name}.{m}"
            for prop in [m for m, v in vars(obj).items() if isinstance(v, property)]:
                assert f"{name}.{prop}" in stubs, f"{name}.{prop}"


def test_the_native_stub_matches_the_native_module():
    stubs = _stub_functions(pathlib.Path(callsim.__file__).with_name("_native.pyi"))
    for name in ["run", "sweep", "compare", "check", "schema", "version"]:
        names, defaults = _real(getattr(native, name))
        assert stubs[name] == (names, defaults), name
