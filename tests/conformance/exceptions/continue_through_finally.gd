log = []
for i in [1, 2, 3] {
    try {
        if i == 2 { continue }
        log.append!("body" + i)
    } finally {
        log.append!("fin" + i)
    }
}
print(log.join(" "))   # expect: body1 fin1 fin2 body3 fin3
