# `__MODULE__` is "__main__" in the program and, in a module, the import path its importer wrote;
# a module's value neither leaks back into the importer nor reaches the modules it imports.
print(__MODULE__)              # expect: __main__
import "./lib/module_names" as names
print(names.at_top)            # expect: ./lib/module_names
print(names.reported())        # expect: ./lib/module_names
print(names.leaf_name)         # expect: ./nested/module_name_leaf
print(__MODULE__)              # expect: __main__
print(__LAST_LOADED__)         # expect: ./lib/module_names
fn from_function() { return __MODULE__ }
print(from_function())         # expect: __main__
__MODULE__ = "renamed"
print(__MODULE__)              # expect: renamed
print(names.reported())        # expect: ./lib/module_names
