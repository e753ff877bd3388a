"""Runtime introspection: the `reflect`, `runtime` and `modules` namespaces of one interpreter.

`reflect.universe()` is a graph of what the program runs in: the type hierarchy (`type:*` and
`error:*` nodes, `subtype_of` edges from a type to its parent), `scope:main`, a `module:*` node
per loaded module with `imports` edges from its importer, and a `graph:*` node per declared
class-like graph (`subtype_of` its parent, else `type:graph`). `reflect.call_graph()` is the
graph of calls between Graphoid functions; recording it traces every call, so it is on only
for interpreters whose source mentions `reflect.call_graph` (see CallRecorder).
"""

from __future__ import annotations

import sys
import time
from types import FrameType
from typing import TYPE_CHECKING, Any, Callable

from graphoid.errors import ERROR_PARENTS, GraphoidError
from graphoid.graphs.classes import UncachedSites
from graphoid.graphs.graph import Graph
from graphoid.runtime.builtins import StaticNamespace
from graphoid.runtime.namespace import IMPORTS_KEY, unmangle
from graphoid.values.format import display, type_name
from graphoid.values.pyerrors import function_label, is_graphoid_code
from graphoid.values.types import GList, GMap, Symbol

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter

# The built-in types, each under its parent (the reference's universe graph).
TYPE_PARENTS: dict[str, str | None] = {
    "any": None,
    "num": "any",
    "bignum": "num",
    "string": "any",
    "bool": "any",
    "none": "any",
    "symbol": "any",
    "collection": "any",
    "list": "collection",
    "map": "collection",
    "graph": "collection",
    "function": "any",
    "module": "any",
    "error": "any",
    "time": "any",
}
SUBTYPE = "subtype_of"
CALL_GRAPH_MARK = "reflect.call_graph"


class CallRecorder:
    """Counts calls of Graphoid functions and records `calls` and `exception` edges.

    It is a sys.settrace hook (line events off), installed only while its interpreter runs
    code, so programs that never ask for a call graph pay nothing."""

    def __init__(self, builtins: dict[str, Any]) -> None:
        # Graphoid code of this interpreter runs with these builtins; anything else (Python code
        # compiled under a name a Graphoid file also uses, another interpreter) is not recorded.
        self._builtins = builtins
        self.counts: dict[str, int] = {}
        self.edges: set[tuple[str, str, str]] = set()
        self._displaced: list[Any] = []

    def install(self) -> None:
        self._displaced.append(sys.gettrace())
        sys.settrace(self._on_call)

    def uninstall(self) -> None:
        if self._displaced:
            sys.settrace(self._displaced.pop())

    def _on_call(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        code = frame.f_code
        if frame.f_globals.get("__builtins__") is not self._builtins or not is_graphoid_code(code):
            return None
        frame.f_trace_lines = False
        if code.co_name != "<module>":
            name = function_label(code)
            self.counts[name] = self.counts.get(name, 0) + 1
            caller = _graphoid_label(frame.f_back)
            if caller is not None:
                self.edges.add((f"fn:{caller}", f"fn:{name}", "calls"))
        return self._on_event

    def _on_event(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if event == "exception":
            # Raised here (no callee) or coming out of a callee: then it propagated callee -> here.
            tb = arg[2].tb_next if arg[2] is not None else None
            while tb is not None and not is_graphoid_code(tb.tb_frame.f_code):
                tb = tb.tb_next
            if tb is not None:
                source = function_label(tb.tb_frame.f_code)
                self.edges.add((f"fn:{source}", f"fn:{function_label(frame.f_code)}", "exception"))
        return self._on_event

    def graph(self) -> Graph:
        graph = Graph("directed")
        for name, count in self.counts.items():
            graph.add_node(f"fn:{name}", GMap(name=name, call_count=count))
        for source, target, label in sorted(self.edges):
            for node in (source, target):
                if not graph.has_node(node):
                    graph.add_node(node, GMap(name=node[3:], call_count=self.counts.get(node[3:], 0)))
            graph.add_edge(source, target, label)
        return graph


def _graphoid_label(frame: FrameType | None) -> str | None:
    while frame is not None:
        if is_graphoid_code(frame.f_code):
            return function_label(frame.f_code)
        frame = frame.f_back
    return None


class Introspection:
    """One interpreter's introspection state: start time, declared templates, call recorder."""

    def __init__(self, interp: "Interpreter") -> None:
        self._interp = interp
        self._started = time.monotonic()
        self.templates: dict[str, str | None] = {}  # declared graph name -> parent name
        self.recorder: CallRecorder | None = None

    # ---- call graph

    def notice_source(self, source: str) -> None:
        """Start recording calls when a program about to run asks for the call graph."""
        if self.recorder is None and CALL_GRAPH_MARK in source:
            self.recorder = CallRecorder(self._interp.builtins)
            # from now on every method call is a call the recorder sees (no site runs a body in place)
            self._interp.builtins["_rt_sites"] = UncachedSites()
            if self._interp.is_running:
                self.recorder.install()

    def entered(self) -> None:
        if self.recorder is not None:
            self.recorder.install()

    def left(self) -> None:
        if self.recorder is not None:
            self.recorder.uninstall()

    def call_graph(self) -> Graph:
        return self.recorder.graph() if self.recorder is not None else Graph("directed")

    # ---- declarations

    def recording_declare(self, declare: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap the class-declaration helper so each `graph Name [from P]` lands in the universe."""

        def declare_and_record(name: str, graph_type: Any, parent: Any) -> Any:
            template = declare(name, graph_type, parent)
            self.templates[name] = getattr(getattr(parent, "metadata", None), "type_name", None)
            return template

        return declare_and_record

    # ---- the universe

    def type_hierarchy(self) -> Graph:
        graph = Graph("directed")
        for name in TYPE_PARENTS:
            graph.add_node(f"type:{name}", GMap(kind="type", name=name))
        for name, parent in TYPE_PARENTS.items():
            if parent is not None:
                graph.add_edge(f"type:{name}", f"type:{parent}", SUBTYPE)
        return graph

    def universe(self) -> Graph:
        graph = self.type_hierarchy()
        for kind, parent in ERROR_PARENTS.items():
            if kind != "Error":
                graph.add_node(f"error:{kind}", GMap(kind="error", name=kind))
        for kind, parent in ERROR_PARENTS.items():
            if kind != "Error":
                graph.add_edge(f"error:{kind}", "type:error" if parent in (None, "Error") else f"error:{parent}", SUBTYPE)
        graph.add_node("scope:main", GMap(kind="scope", name="main"))
        modules = self._interp.modules.loaded
        by_name = {module.module_name: module for module in modules.values()}
        for name, module in by_name.items():
            graph.add_node(f"module:{name}", GMap(kind="module", name=name, path=module.file))
        for name, module in by_name.items():
            for imported in module.imported():
                if imported in by_name:
                    graph.add_edge(f"module:{name}", f"module:{imported}", "imports")
        for imported in self._main_imports(sys._getframe(1)):
            if imported in by_name:
                graph.add_edge("scope:main", f"module:{imported}", "imports")
        for name in self.templates:
            graph.add_node(f"graph:{name}", GMap(kind="graph", name=name))
        for name, parent in self.templates.items():
            target = f"graph:{parent}" if parent in self.templates else "type:graph"
            graph.add_edge(f"graph:{name}", target, SUBTYPE)
        return graph

    # ---- scopes and modules

    def _main_imports(self, caller: FrameType | None) -> list[str]:
        """What the main scope imported: the interpreter's main namespace, and the namespace the
        outermost running Graphoid code belongs to (a spec file runs in its own, for one)."""
        names = list(self._interp.namespace.get(IMPORTS_KEY, ()))
        frames = _graphoid_frames(caller)
        if frames:
            outer = frames[-1].f_globals
            if outer is not self._interp.namespace:
                names.extend(name for name in outer.get(IMPORTS_KEY, ()) if name not in names)
        return names

    def current_scope(self) -> GMap:
        """`{type, depth, variables}` of the innermost running Graphoid code."""
        frames = _graphoid_frames(sys._getframe(1))
        if not frames:
            return GMap(type="main", depth=0, variables=GList())
        innermost = frames[0]
        at_top = innermost.f_code.co_name == "<module>"
        names = innermost.f_globals if at_top else innermost.f_locals
        variables = GList(name for name in (unmangle(key) for key in names) if name is not None and not name.startswith("__"))
        return GMap(type="main" if at_top else "function", depth=len(frames) - 1, variables=variables)

    def module_names(self) -> GList:
        return GList(module.module_name for module in self._interp.modules.loaded.values())

    def module(self, name: Any) -> Any:
        for module in self._interp.modules.loaded.values():
            if module.module_name == name:
                return module
        return None

    def module_info(self, name: Any) -> Any:
        module = self.module(name)
        if module is None:
            return None
        return GMap(name=module.module_name, path=module.file, exports=GList(module.exports()), imports=GList(module.imported()))

    def uptime(self) -> float:
        return time.monotonic() - self._started


def _graphoid_frames(frame: FrameType | None) -> list[FrameType]:
    """The running Graphoid frames, innermost first."""
    out: list[FrameType] = []
    while frame is not None:
        if is_graphoid_code(frame.f_code):
            out.append(frame)
        frame = frame.f_back
    return out


def _version() -> str:
    # The package's version, read where the top-level package keeps it (no import upward).
    return str(getattr(sys.modules.get("graphoid"), "__version__", "unknown"))


def _memory() -> GMap:
    """`{used, peak}` in bytes: the process's resident memory now and at its peak."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    used = peak
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[1]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        pass
    return GMap(used=used, peak=peak)


PATTERN_ROOT = "pattern:root"


def pattern_graph(description: tuple, guard: Any) -> Graph:
    """The graph `reflect.pattern` returns for a description the compiler made
    (graphoid.compiler.pattern_reflection): `pattern:root`, then `field:<key>` nodes
    (`has_field`), `element:<i>` nodes (`has_element`) and `guard:0` (`has_guard`)."""
    graph = Graph("directed")
    kind = description[0]
    if kind == "map":
        graph.add_node(PATTERN_ROOT, GMap(pattern_type="map", field_count=len(description[1])))
        for key, part in description[1]:
            graph.add_node(f"field:{key}", _pattern_part(part, key=key))
            graph.add_edge(PATTERN_ROOT, f"field:{key}", "has_field")
    elif kind == "list":
        graph.add_node(PATTERN_ROOT, GMap(pattern_type="list", element_count=len(description[1])))
        for index, part in enumerate(description[1]):
            graph.add_node(f"element:{index}", _pattern_part(part, index=index))
            graph.add_edge(PATTERN_ROOT, f"element:{index}", "has_element")
    else:
        part = _pattern_part(description)
        graph.add_node(PATTERN_ROOT, GMap(pattern_type=part.pop("type"), **part))
    if guard is not None:
        graph.add_node("guard:0", GMap(type="guard", function=guard))
        graph.add_edge(PATTERN_ROOT, "guard:0", "has_guard")
    return graph


def _pattern_part(part: tuple, **position: Any) -> GMap:
    """A field's, element's or the root's node value: its position, `type` and name or value."""
    kind = part[0]
    node = GMap(position)
    if kind == "binding":
        node.update(type="binding", name=part[1])
    elif kind == "symbol":
        node.update(type="literal", value=Symbol(part[1]))
    elif kind == "literal":
        node.update(type="literal", value=part[1])
    else:
        node["type"] = kind
    return node


def _reflect_pattern(reflect: Any) -> Callable[[Any, tuple, Any], Graph]:
    """`_rt_reflect_pattern`: what `reflect.pattern(...)` compiles to, for one interpreter's `reflect`."""
    def build(receiver: Any, description: tuple, guard: Any) -> Graph:
        if receiver is not reflect:
            # The compiler saw no variable named `reflect`; one appeared at run time (`load`).
            raise GraphoidError("TypeError", f"reflect.pattern reads its pattern unevaluated, so it needs the "
                                             f"builtin reflect; here 'reflect' is {display(receiver)}")
        if guard is not None and type_name(guard) != "function":
            raise GraphoidError("TypeError", f"reflect.pattern's guard must be a function, got {type_name(guard)}")
        return pattern_graph(description, guard)
    return build


def introspection_builtins(state: Introspection) -> dict[str, Any]:
    """The `reflect`, `runtime` and `modules` namespaces over one interpreter's state."""
    reflect = StaticNamespace("reflect", {
        "universe": state.universe,
        "type_hierarchy": state.type_hierarchy,
        "call_graph": state.call_graph,
        "current_scope": state.current_scope,
        "loaded_modules": state.module_names,
        "module": state.module,
    })
    runtime = StaticNamespace("runtime", {
        "version": _version,
        "uptime": state.uptime,
        "memory": _memory,
        "module_count": lambda: len(state.module_names()),
    })
    modules = StaticNamespace("modules", {
        "list": state.module_names,
        "info": state.module_info,
    })
    return {"reflect": reflect, "runtime": runtime, "modules": modules, "_rt_reflect_pattern": _reflect_pattern(reflect)}


__all__ = ["CallRecorder", "Introspection", "introspection_builtins"]
