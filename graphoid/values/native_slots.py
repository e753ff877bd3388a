"""Reads of GMap and GList at the speed of dict and list (CPython only; docs/design.md, "Values").

CPython builds the C slots of a class from the methods its MRO defines. `dict.__getitem__`,
`dict.__contains__` and `list.__getitem__` are methods (METH_COEXIST), not slot wrappers, so
type creation cannot tell that a subclass inherits the base's own C function and gives it the
generic slots (slot_mp_subscript, slot_sq_contains, slot_sq_item): every `m[k]`, `k in m` and
`xs[i]` on a GMap or GList looks `__getitem__`/`__contains__` up on the type and calls the
method through it, about 190 machine instructions more per read than on a dict (callgrind).

GMap and GList override none of these methods, so the generic slot and the base's C function
run the same code (dict_subscript still calls a subclass's `__missing__`). `install` copies the
base's function into the subclass's slot, once, after checking everything it relies on: a
CPython whose type layout is known, slots that live in the subclass's own heap-type object,
a neighbouring slot that must equal the base's (so the offsets are right), and no class in the
MRO that defines the dunder. Anything unexpected leaves the generic slots: correct, slower.
Assigning one of these dunders to the class later makes CPython rebuild the slot as usual.
"""

from __future__ import annotations

import os
import sys

# Pointer-sized fields from the start of PyTypeObject (ob_refcnt, ob_type, ob_size, tp_name,
# tp_basicsize, tp_itemsize, tp_dealloc, tp_vectorcall_offset, tp_getattr, tp_setattr,
# tp_as_async, tp_repr, tp_as_number, tp_as_sequence, tp_as_mapping): 3.8 to 3.13.
_TP_AS_SEQUENCE = 13
_TP_AS_MAPPING = 14
# Fields of PyMappingMethods and PySequenceMethods.
_MP_LENGTH, _MP_SUBSCRIPT = 0, 1
_SQ_ITEM, _SQ_CONTAINS = 3, 7

# (dunder, struct, field) copied from the base; the mapping's mp_length checks the layout.
_DICT_SLOTS = (("__getitem__", _TP_AS_MAPPING, _MP_SUBSCRIPT), ("__contains__", _TP_AS_SEQUENCE, _SQ_CONTAINS))
_LIST_SLOTS = (("__getitem__", _TP_AS_MAPPING, _MP_SUBSCRIPT), ("__getitem__", _TP_AS_SEQUENCE, _SQ_ITEM))


# Set to 0 to keep CPython's generic slots (same results, slower reads): an escape hatch should
# a CPython build ever disagree with the layout checks below.
DISABLE_ENV = "GRAPHOID_NATIVE_SLOTS"


def supported() -> bool:
    """A CPython whose type layout this module knows (GIL build, 3.8 to 3.13), unless
    GRAPHOID_NATIVE_SLOTS=0 turns the slot copy off."""
    return (sys.implementation.name == "cpython" and (3, 8) <= sys.version_info[:2] <= (3, 13)
            and not _gil_disabled() and os.environ.get(DISABLE_ENV) != "0")


def _gil_disabled() -> bool:
    """A free-threaded build (they exist from 3.13 on). Earlier versions skip the sysconfig
    import, which costs about a millisecond of start-up (its build data module)."""
    if sys.version_info < (3, 13):
        return False
    import sysconfig

    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def install(subclass: type, base: type) -> bool:
    """Give subclass the base's C read slots (see the module docstring). True when installed
    (or already in place), False when a check failed and the generic slots stay."""
    slots = _DICT_SLOTS if base is dict else _LIST_SLOTS if base is list else ()
    if not slots or not supported() or base not in subclass.__mro__:
        return False
    if any(name in klass.__dict__ for klass in subclass.__mro__[: subclass.__mro__.index(base)]
           for name, _struct, _field in slots):
        return False
    import ctypes  # deferred: only the first interpreter of a process pays its import

    pointers = ctypes.POINTER(ctypes.c_void_p)

    def struct(owner: type, index: int) -> ctypes._Pointer:  # type: ignore[name-defined]
        return ctypes.cast(ctypes.cast(id(owner), pointers)[index], pointers)

    start, end = id(subclass), id(subclass) + type(subclass).__basicsize__
    for index in {struct_index for _name, struct_index, _field in slots}:
        address = ctypes.cast(id(subclass), pointers)[index]
        if address is None or not start <= address < end:
            return False  # not the heap type's own struct: writing it could touch another type
    if struct(subclass, _TP_AS_MAPPING)[_MP_LENGTH] != struct(base, _TP_AS_MAPPING)[_MP_LENGTH]:
        return False  # the inherited length slot must match: otherwise the offsets are wrong
    for _name, struct_index, field in slots:
        if not struct(base, struct_index)[field]:
            return False
    for _name, struct_index, field in slots:
        struct(subclass, struct_index)[field] = struct(base, struct_index)[field]
    return True


def installed(subclass: type, base: type) -> bool:
    """Does subclass read through the base's own C slots? (for tests)"""
    slots = _DICT_SLOTS if base is dict else _LIST_SLOTS if base is list else ()
    if not slots or not supported():
        return False
    import ctypes

    pointers = ctypes.POINTER(ctypes.c_void_p)

    def field_of(owner: type, index: int, field: int) -> int | None:
        return ctypes.cast(ctypes.cast(id(owner), pointers)[index], pointers)[field]

    return all(field_of(subclass, index, field) == field_of(base, index, field) for _name, index, field in slots)
