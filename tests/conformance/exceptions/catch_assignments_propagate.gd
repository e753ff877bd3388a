status = "unknown"
try {
    raise "boom"
} catch as e {
    status = "failed"
    detail = e.message()
}
print(status)   # expect: failed
print(detail)   # expect: boom
