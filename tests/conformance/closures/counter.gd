fn make_counter() {
    count = 0
    step = () => {
        count = count + 1
        count
    }
    return step
}
c1 = make_counter()
c2 = make_counter()
c1()
c1()
print(c1())   # expect: 3
print(c2())   # expect: 1
