fn run(n) {
    parts = []
    i = 0
    while i < n {
        parts.append!("Item-" + i + ": Alpha beta GAMMA")
        i = i + 1
    }
    text = parts.join("\n")
    vowels = 0
    longest = 0
    for line in text.split("\n") {
        fields = line.split(": ")
        words = fields[1].lower().split(" ")
        for word in words {
            if word.contains("a") { vowels = vowels + 1 }
        }
        label = fields[0].replace("-", "_").upper()
        if label.length() > longest { longest = label.length() }
    }
    return vowels * 100 + longest
}
