graph Counter {
    count: 0
    fn read_it() { return count }
    fn bump() { count = count + 1 }
}
print(Counter.method_reads("read_it").contains("count"))    # expect: true
print(Counter.method_writes("bump").contains("count"))      # expect: true
print(Counter.method_writes("read_it"))                     # expect: []
