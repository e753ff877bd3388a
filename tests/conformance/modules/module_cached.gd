import "./lib/noisy"
import "./lib/noisy" as again
# expect: noisy module loaded
print(noisy.ping())   # expect: pong
print(again.ping())   # expect: pong
