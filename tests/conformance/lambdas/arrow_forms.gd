double = x => x * 2
print(double(4))            # expect: 8
add = (a, b) => a + b
print(add(2, 3))            # expect: 5
answer = () => 42
print(answer())             # expect: 42
shout = x => { return x.upper() + "!" }
print(shout("hi"))          # expect: HI!
