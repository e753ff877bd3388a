fn t(v) {
    if v { return "truthy" }
    return "falsy"
}
print(t(false))       # expect: falsy
print(t(none))        # expect: falsy
print(t(0))           # expect: falsy
print(t(""))          # expect: falsy
print(t([]))          # expect: falsy
print(t({}))          # expect: falsy
print(t(graph {}))    # expect: falsy
print(t(1))           # expect: truthy
print(t("0"))         # expect: truthy
print(t([0]))         # expect: truthy
print(t(:sym))        # expect: truthy
print(t(x => x))      # expect: truthy
print(t(-1))          # expect: truthy
