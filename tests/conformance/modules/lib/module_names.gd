# Reports `__MODULE__` from its own top level, from a function, and from a module it imports.
# It also sets a handed-off `__X__` variable, which does flow back to the importer.
at_top = __MODULE__
fn reported() { return __MODULE__ }
import "./nested/module_name_leaf"
leaf_name = module_name_leaf.at_top
__LAST_LOADED__ = __MODULE__
