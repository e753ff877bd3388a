# Imported by module_names.gd: its `__MODULE__` is the path that module wrote.
at_top = __MODULE__
