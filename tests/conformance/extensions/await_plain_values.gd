# `await` on an ordinary value returns it unchanged; it binds over the whole postfix chain.
x = await 5
print(x)                              # expect: 5
print(await [3, 1, 2].sort())         # expect: [1, 2, 3]
fn f() { return "done" }
print(await f())                      # expect: done
print(-await 4)                       # expect: -4
