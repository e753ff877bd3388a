# Word count with graph-native messaging (seeds/003, method 2), on a local graph.

graph DocumentNode {
    content = ""
    counts = {}

    fn on_message(msg) {
        match msg {
            :count_words => {
                counts = {}
                for word in content.lower().split(/\s+/) {
                    if word != "" {
                        counts[word] = counts.get(word, 0) + 1
                    }
                }
            }
            :get_word_counts => counts
        }
    }
}

fn merge_counts(results) {
    total = {}
    for counts in results {
        for word in counts.keys() {
            total[word] = total.get(word, 0) + counts[word]
        }
    }
    return total
}

documents = graph { type: :directed }
documents.add_node("doc1", { content: "the quick brown fox" })
documents.add_node("doc2", { content: "The lazy dog and the quick cat" })
documents.add_node("doc3", { content: "a fox and a dog" })
documents.set_behavior(DocumentNode)

documents.broadcast(:count_words)
word_results = await documents.request(:get_word_counts, where: n => true)
word_counts = merge_counts(word_results)

# Find most common words
top_words = word_counts
    .to_list()
    .sort_by(pair => pair[1], :desc)
    .take(4)

print(top_words)
