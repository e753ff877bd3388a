"""No Graphoid program can name the runtime's helper namespace (issue 7, part A1).

Every way source names a variable (plain names, assignment, parameters, named arguments,
`for`/`catch` variables, import aliases and selections, module attributes and calls) and every
string-keyed lookup the host API offers is tried against every runtime-internal key: the
`_rt*` helpers in `__builtins__`, the keys Python and the runtime keep in a module dict
(`__builtins__`, `__file__`, `__gd_private__`, ...) and the names Python treats specially.
"""

from __future__ import annotations

import pytest

from graphoid.repl.completion import GraphoidCompleter
from graphoid.repl.session import ReplSession
from graphoid.errors import GraphoidError
from graphoid.values.format import display, type_name
from graphoid.runtime.interpreter import Interpreter
from graphoid.runtime.namespace import FILE_KEY, mangle, unmangle, user_items

LIBRARY = {
    "lib": "module lib alias lb\npriv secret = 1\nimport \"helper\"\nvalue = 2\nfn twice(x) { return 2 * x }",
    "helper": "h = 3",
}
# Names Python gives meaning to in a module dict, a frame or a function, beyond the runtime's own keys.
PYTHON_SPECIAL = (
    "__builtins__", "__file__", "__name__", "__doc__", "__loader__", "__spec__", "__package__",
    "__debug__", "__annotations__", "__class__", "__dict__", "__globals__", "__import__",
)


def make_interpreter(**options) -> Interpreter:
    return Interpreter(loader=LIBRARY.get, **options)


def internal_keys() -> list[str]:
    """Every key the runtime owns: helpers, main-namespace and module-namespace bookkeeping."""
    interp = make_interpreter(max_steps=10_000)
    interp.run('import "lib"\nlb.value')
    module = interp.modules.loaded["<loader:lib>"]
    graphoid_builtins = {name for name, _ in user_items(interp.builtins)}
    keys = {key for key in interp.builtins if key not in graphoid_builtins}
    keys.update(interp.namespace, module.namespace)
    keys.difference_update(mangle(name) for name, _ in user_items(module.namespace))
    keys.difference_update(mangle(name) for name, _ in user_items(interp.namespace))
    keys.update(PYTHON_SPECIAL)
    return sorted(keys)


INTERNAL = internal_keys()


def test_the_enumeration_covers_the_runtime_keys():
    for key in ("__builtins__", "__file__", "__gd_module__", "__gd_private__", "__gd_imports__", "_rt_tick",
                "_rt_list", "_rt_Exception", "_rt_getrefcount", "_rt_import", "_rt_errors"):
        assert key in INTERNAL
    assert "print" not in INTERNAL and "value" not in INTERNAL


def test_no_identifier_mangles_onto_an_internal_key():
    for key in INTERNAL:
        assert unmangle(key) is None, key
        assert mangle(key) != key and unmangle(mangle(key)) == key


def test_plain_names_cannot_read_internal_keys():
    interp = make_interpreter()
    for name in INTERNAL:
        with pytest.raises(GraphoidError) as caught:
            interp.run(name)
        assert caught.value.message == f"Undefined variable '{name}'"


def test_writing_an_internal_name_makes_a_user_variable_and_changes_nothing_else():
    interp = make_interpreter()
    builtins = dict(interp.builtins)
    for name in INTERNAL:
        assert interp.run(f"{name} = [1, 2]\n{name}.length()") == 2
    assert interp.builtins == builtins
    assert interp.namespace["__builtins__"] is interp.builtins
    assert interp.namespace[FILE_KEY] == "<string>"
    assert set(interp.globals) == set(INTERNAL)
    assert interp.globals["__builtins__"] == [1, 2]
    assert interp.lookup("_rt_list") == [1, 2]


def test_every_binding_form_uses_the_mangled_name():
    interp = make_interpreter()
    for name in INTERNAL:
        program = (
            f"fn f({name}) {{ return {name} }}\n"
            f"g = ({name}) => {name} + 1\n"
            f"total = 0\nfor {name} in [1, 2] {{ total = total + {name} }}\n"
            f"try {{ raise \"x\" }} catch as {name} {{ total = total + {name}.message().length() }}\n"
            f"import \"helper\" as {name}\n"
            f"[f(5), f({name}: 6), g({name}: 1), total, {name}.h]"
        )
        assert interp.run(program) == [5, 6, 2, 4, 3], name
        assert interp.namespace["__builtins__"] is interp.builtins


def test_module_members_and_selections_cannot_name_internal_keys():
    interp = make_interpreter()
    interp.run('import "lib"')
    for name in INTERNAL:
        for program in (f"lb.{name}", f"lb.{name}()", f'import "lib" {{ {name} }}'):
            with pytest.raises(GraphoidError) as caught:
                interp.run(program)
            assert caught.value.message == f"Module 'lib' has no member '{name}'", program
    assert interp.run("lb.exports()") == ["helper", "value", "twice"]
    assert interp.run("lb.imports()") == ["helper"]
    interp.run("lb.__gd_private__ = 5\nlb.__builtins__ = 6")
    assert interp.run("lb.twice(lb.value) + lb.__gd_private__") == 9


def test_host_lookups_by_string_cannot_name_internal_keys():
    interp = make_interpreter()
    for name in INTERNAL:
        assert name not in interp.globals
        with pytest.raises(GraphoidError):
            interp.lookup(name)
        with pytest.raises(GraphoidError):
            interp.call(name)
    names = GraphoidCompleter(interp).scope_names()
    assert not set(names) & set(INTERNAL)


def test_host_definitions_under_internal_names_stay_user_names():
    interp = make_interpreter()
    interp.define("__builtins__", lambda: "host")
    assert interp.run("__builtins__()") == "host"
    assert isinstance(interp.namespace["__builtins__"], dict)
    interp.globals["__file__"] = 3
    assert interp.run("__file__ + 1") == 4
    assert interp.namespace[FILE_KEY] == "<string>"


def test_builtins_hand_out_only_graphoid_values():
    interp = make_interpreter(sandbox=True)
    for name, value in user_items(interp.builtins):
        shown = display(value)
        assert " at 0x" not in shown and "<class" not in shown, name
        # graph: `supervisor`; string: `__MODULE__`
        assert type_name(value) in {"function", "namespace", "list", "graph", "string"}, name


@pytest.mark.timeout(120)
def test_the_reported_escape_is_closed():
    box = Interpreter(sandbox=True, max_steps=1000, time_limit=60)
    with pytest.raises(GraphoidError) as caught:
        box.run('__builtins__["_rt_tick"] = __builtins__["_rt_list"]\nf = () => { while true { } }\nf()')
    assert caught.value.message == "Undefined variable '__builtins__'"
    with pytest.raises(GraphoidError) as caught:
        box.run('__builtins__ = {"_rt_tick": print}\n_rt_tick = print\nf = () => { while true { } }\nf()')
    assert caught.value.kind == "LimitError"


def test_internal_bookkeeping_names_no_longer_break_module_statements():
    interp = make_interpreter()
    assert interp.run("__gd_private__ = 5\npriv fn f() { return 1 }\nf() + __gd_private__") == 6
    assert interp.run('__gd_imports__ = 5\nimport "helper"\nhelper.h + __gd_imports__') == 8
    assert interp.run('__gd_module__ = 7\nmodule main_mod\n__gd_module__') == 7


def test_dunder_variables_are_still_handed_to_and_from_modules():
    interp = Interpreter(loader={"double": "__RESULT__ = __INPUT__ * 2"}.get)
    assert interp.run('__INPUT__ = 21\nimport "double"\n__RESULT__') == 42
    assert interp.run('double.exports()') == []


def test_repl_survives_internal_names_and_failing_echoes():
    interp = Interpreter()
    session = ReplSession(interp)
    outcome = session.execute("__builtins__")
    assert outcome.status == 70 and "Undefined variable '__builtins__'" in outcome.error

    class Unprintable:
        def display(self) -> str:
            raise GraphoidError("RuntimeError", "cannot show this")

    interp.namespace["odd"] = Unprintable()
    outcome = session.execute("odd")
    assert outcome.status == 70 and "cannot show this" in outcome.error
    assert "cannot show this" in session.execute(":vars").error
    assert session.execute("1 + 1").output == "2"
    interp.namespace["cls"] = GraphoidError  # a runtime class, not an instance
    assert session.execute("cls").error is None
