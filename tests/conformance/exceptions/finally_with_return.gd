fn f() {
    try {
        return "from try"
    } finally {
        print("finally ran")
    }
}
print(f())
# expect: finally ran
# expect: from try
