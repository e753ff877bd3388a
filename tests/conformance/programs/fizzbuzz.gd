for i in list.generate(1, 15, 1) {
    out = ""
    if i % 3 == 0 { out = out + "Fizz" }
    if i % 5 == 0 { out = out + "Buzz" }
    if out == "" { out = i.to_string() }
    print(out) if i > 9
}
# expect: Buzz
# expect: 11
# expect: Fizz
# expect: 13
# expect: 14
# expect: FizzBuzz
