# In a statement header a `{` where an operand is expected opens a map literal; the block is
# the `{` after the complete expression.
m = {}
if m == {} { print("empty") }              # expect: empty
for k in {"a": 1, "b": 2} { print(k) }     # expect: a
                                           # expect: b
print(match {"a": 1} { _ => "m" })         # expect: m
xs = [1, 2]
while xs != [] and m != {"z": 0} { xs = xs.slice(1, xs.length()) }
print(xs)                                  # expect: []
fn size_of(d) { return d.size() }
print(size_of({}))                         # expect: 0
unless {"k": 1} == {} { print("non-empty") }   # expect: non-empty
done = true
if done {}
if m != {} { print("no") } else { print("else") }   # expect: else
print("end")                               # expect: end
