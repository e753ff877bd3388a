# reflect.pattern reads its first argument as written: a computed one is an error, reported
# under that argument, when the call is reached.
p = reflect.pattern([x, _])
print(p.get_node("pattern:root")["element_count"])   # expect: 2
q = reflect.pattern(total + 1)
# expect error: :5:21: TypeError: reflect.pattern needs a map, list, literal, name or _ as its pattern
