# Named arguments reach builtins that document them.
xs = [3, 1, 2]
print(xs.sort_by(x => x, :desc))      # expect: [3, 2, 1]
fn make(kind, size = 1) { return kind + size }
print(make(size: 2, kind: "k"))       # expect: k2
