"""Class-like graphs as the compiler drives them: properties, methods, dispatch, inheritance."""

import pytest

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.values.types import GList, GMap, Symbol


def method(fn, reads=(), writes=()):
    fn._gd_reads = tuple(reads)
    fn._gd_writes = tuple(writes)
    return fn


def animal() -> Graph:
    g = Graph.declare_class("Animal")
    g.define_property("name", "unnamed")
    g.define_property("sound", "...")
    g.define_method(
        "speak",
        method(lambda self: self.get_property("name") + " says " + self.get_property("sound"), reads=("name", "sound")),
    )

    def rename(self, new):
        self.set_property("name", new)
        return self

    g.define_method("rename", method(rename, writes=("name",)))
    return g


def dog(parent: Graph) -> Graph:
    d = Graph.declare_class("Dog", None, parent)
    d.define_property("sound", "woof")
    d.define_method("speak", lambda self: "Dog: " + self.call_super(d, "speak", ()))
    d.define_method("describe", lambda self: "the famous Rex", guard=lambda self: self.get_property("name") == "Rex")
    d.define_method("describe", lambda self: "a dog")
    d.define_method("create", lambda self, n: d.instantiate({"name": n}), static=True)
    d.define_method("helper", lambda self: 41, private=True)
    d.define_method("use_helper", lambda self: self.call("_helper", ()) + 1)
    return d


def test_properties_and_methods():
    a = animal()
    assert a.call("speak", ()) == "unnamed says ..."
    assert a.call("rename", ("Tom",)) is a
    assert a.get_property("name") == "Tom"
    assert a.type_of() == "Animal"


def test_inheritance_copies_properties_and_finds_parent_methods():
    a = animal()
    d = dog(a)
    assert d.get_property("name") == "unnamed"
    assert d.get_property("sound") == "woof"
    assert a.get_property("sound") == "..."
    assert d.call("rename", ("Rex",)) is d
    assert a.get_property("name") == "unnamed"
    assert d.call("speak", ()) == "Dog: Rex says woof"


def test_guarded_variants_first_then_fallback():
    d = dog(animal())
    assert d.call("describe", ()) == "a dog"
    d.set_property("name", "Rex")
    assert d.call("describe", ()) == "the famous Rex"


def test_guards_without_fallback_error():
    g = Graph.declare_class("Shape")
    g.define_property("sides", 3)
    g.define_method("name", lambda self: "triangle", guard=lambda self: self.get_property("sides") == 3)
    assert g.call("name", ()) == "triangle"
    g.set_property("sides", 5)
    with pytest.raises(GraphoidError) as info:
        g.call("name", ())
    assert "guard" in info.value.message


def test_static_method_and_instantiate_with_template_link():
    d = dog(animal())
    rex = d.call("create", ("Rex",))
    assert rex.get_property("name") == "Rex"
    assert rex.template() is d
    assert rex.behavior.methods == {}
    assert rex.call("describe", ()) == "the famous Rex"
    assert rex.is_a("Dog") and rex.is_a("Animal") and rex.is_a(d) and not rex.is_a("Cat")
    assert rex.type_of() == "Dog"
    assert d.get_property("name") == "unnamed"


def test_private_methods_only_from_own_methods():
    d = dog(animal())
    assert d.call("use_helper", ()) == 42
    with pytest.raises(GraphoidError) as info:
        d.call("_helper", ())
    assert "private" in info.value.message
    other = d.clone()
    d.define_method("poke", lambda self: other.call("_helper", ()))
    with pytest.raises(GraphoidError):
        d.call("poke", ())


def test_setter_runs_on_property_write_and_writes_through():
    g = Graph.declare_class("Temp")
    g.define_property("celsius", 0)
    log = []

    def set_celsius(self, value):
        log.append(value)
        self.set_property("celsius", max(value, -273))

    g.define_method("celsius", set_celsius, setter=True)
    g.set_property("celsius", -500)
    assert g.get_property("celsius") == -273
    assert log == [-500]


def test_configure_access_generates_getters_and_setters():
    g = Graph.declare_class("Point")
    g.define_property("x", 10)
    g.define_property("name", "p")
    g.configure_access(readable=GList(["x"]), writable="name")
    assert g.call("x", ()) == 10
    g.call("set_name", ("q",))
    assert g.get_property("name") == "q"
    with pytest.raises(GraphoidError):
        g.call("set_x", (1,))
    h = Graph.declare_class("Box")
    h.define_property("value", 0)
    h.configure_access(accessible="value")
    h.call("set_value", (42,))
    assert h.call("value", ()) == 42


def test_user_methods_shadow_builtins():
    g = Graph.declare_class("Odd")
    g.define_method("node_count", lambda self: "mine")
    assert g.call("node_count", ()) == "mine"


def test_clone_is_independent_and_keeps_type():
    a = animal()
    c = a.clone()
    c.set_property("name", "Copy")
    assert a.get_property("name") == "unnamed"
    assert c.type_of() == "Animal"
    assert c.call("speak", ()) == "Copy says ..."


def test_include_mixin_and_responds_to_and_remove_method():
    mixin = Graph.declare_class("Comparable")
    mixin.define_method("compare", lambda self, other: self.get_property("value") - other.get_property("value"))
    item = Graph.declare_class("Item")
    item.define_property("value", 10)
    included = item.include(mixin)
    assert included == ["compare"]
    a, b = item.clone(), item.clone()
    a.set_property("value", 20)
    b.set_property("value", 15)
    assert a.call("compare", (b,)) == 5
    assert item.responds_to("compare") and not item.responds_to("nope")
    assert item.remove_method("compare") is True
    assert not item.responds_to("compare")
    assert item.remove_method("compare") is False


def test_ancestors_and_template():
    a = Graph.declare_class("A")
    b = Graph.declare_class("B", None, a)
    c = Graph.declare_class("C", None, b)
    assert c.ancestors() == ["B", "A"]
    assert c.template() is b
    assert c.is_a(a)


def test_get_property_falls_back_to_data_nodes_then_default():
    g = Graph()
    g.add_node("name", "Alice")
    assert g.get_property("name") == "Alice"
    assert g.get_property("missing") is None
    assert g.get_property("missing", 7) == 7
    g.set_property("city", "Boston")
    assert g.get_property("city") == "Boston" and g.has_property("city")
    assert g.node_count() == 1


def test_call_super_without_parent_is_error():
    g = Graph.declare_class("Solo")
    with pytest.raises(GraphoidError):
        g.call_super(g, "x", ())


def test_dependency_introspection():
    g = Graph.declare_class("Counter")
    g.define_property("count", 0)
    g.define_property("step", 1)
    g.define_method("increment", method(lambda self: None, reads=("count", "step"), writes=("count",)))
    g.define_method("value", method(lambda self: None, reads=("count",)))
    g.define_method("configure", method(lambda self, s: None, writes=("step",)))
    assert g.method_reads("increment") == ["count", "step"]
    assert g.method_writes("increment") == ["count"]
    assert g.property_readers("count") == ["increment", "value"]
    assert g.property_writers("step") == ["configure"]
    assert g.dependencies("value") == ["count", "increment"]
    assert g.dependencies("count") == []
    assert g.dependents("configure") == ["increment"]
    assert g.dependents("step") == ["increment"]
    assert g.dependency_order() == ["count", "step", "configure", "increment", "value"]
    assert g.call("method_reads", ("nope",)) == []


def test_nodes_all_shows_parent_marker_and_method_branch():
    d = dog(animal())
    shown = d.call("nodes", (Symbol("all"),))
    assert "__parent__" in shown and "__methods__/speak" in shown and "__properties__/sound" in shown
    assert ["__self__", "__parent__", "inherits_from"] in d.call("edges", (Symbol("all"),))
    assert d.call("edges", ()) == []


def test_methods_receive_kwargs():
    g = Graph.declare_class("K")
    g.define_method("f", lambda self, a, b=2: a * 10 + b)
    assert g.call("f", (1,), {"b": 5}) == 15


def test_instantiate_seeds_map_properties():
    t = Graph.declare_class("Node")
    t.define_property("rank", 0.0)
    inst = t.instantiate(GMap({"rank": 0.5, "extra": 1}))
    assert inst.get_property("rank") == 0.5 and inst.get_property("extra") == 1
    assert t.get_property("rank") == 0.0


def test_method_lookup_cache_sees_later_changes():
    parent = Graph.declare_class("P")
    child = Graph.declare_class("C", None, parent)
    with pytest.raises(GraphoidError):
        child.call("late", ())
    parent.define_method("late", lambda self: "added later")
    assert child.call("late", ()) == "added later"
    child.define_method("late", lambda self: "overridden")
    assert child.call("late", ()) == "overridden"
    child.remove_method("late")
    assert child.call("late", ()) == "added later"


def test_private_check_is_per_thread():
    import threading

    g = Graph.declare_class("T")
    g.define_method("secret", lambda self: 1, private=True)
    started, release = threading.Event(), threading.Event()

    def slow(self):
        started.set()
        release.wait(5)
        return self.call("_secret", ())

    g.define_method("slow", slow)
    results = []
    worker = threading.Thread(target=lambda: results.append(g.call("slow", ())))
    worker.start()
    started.wait(5)
    try:
        with pytest.raises(GraphoidError):
            g.call("_secret", ())
    finally:
        release.set()
        worker.join(5)
    assert results == [1]
