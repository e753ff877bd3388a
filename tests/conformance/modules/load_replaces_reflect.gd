# A `reflect` that only `load` defines is unknown when the file compiles, so the call still reads
# its pattern unevaluated; it fails clearly rather than treat "loaded" as the builtin.
load "lib/defines_reflect.gd"
print(reflect)                 # expect: loaded
reflect.pattern(x)
# expect error: needs the builtin reflect; here 'reflect' is loaded
