def run(n):
    parts = []
    i = 0
    while i < n:
        parts.append("Item-" + str(i) + ": Alpha beta GAMMA")
        i = i + 1
    text = "\n".join(parts)
    vowels = 0
    longest = 0
    for line in text.split("\n"):
        fields = line.split(": ")
        words = fields[1].lower().split(" ")
        for word in words:
            if "a" in word:
                vowels = vowels + 1
        label = fields[0].replace("-", "_").upper()
        if len(label) > longest:
            longest = len(label)
    return vowels * 100 + longest
