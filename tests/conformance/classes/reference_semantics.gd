graph Box { value: 1 }
a = Box.clone()
b = a
b.value = 99
print(a.value)        # expect: 99
c = a.clone()
c.value = 5
print(a.value)        # expect: 99
fn set_value(box, v) { box.value = v }
set_value(a, 7)
print(b.value)        # expect: 7
