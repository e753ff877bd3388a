# Word count two ways (seeds/003) on a distributed graph of documents:
# map-reduce shuffled worker to worker, and graph-native messaging (the same as the local
# examples/wordcount.gd, with the same output).

import "distributed"

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

local_docs = graph { type: :directed }
local_docs.add_node("doc1", { content: "the quick brown fox" })
local_docs.add_node("doc2", { content: "The lazy dog and the quick cat" })
local_docs.add_node("doc3", { content: "a fox and a dog" })
documents = distributed.distribute(local_docs, partitions: 2)

# Method 1: map-reduce (the pairs never pass through this process)
word_counts = distributed.map_reduce(
    documents,
    map: fn(doc_node) {
        content = doc_node.get("content")
        words = content.lower().split(/\s+/)
        return words.map(word => [word, 1])
    },
    reduce: fn(word, counts) {
        return [word, counts.sum()]
    }
)
# most frequent first; ties by word (the pairs come in no particular order)
print(word_counts.to_list().sort_by(pair => [0 - pair[1], pair[0]]).take(4))

# Method 2: graph-native messaging (each document counts its own words)
documents.set_behavior(DocumentNode)
documents.broadcast(:count_words)
word_results = await documents.request(:get_word_counts, where: n => true)
merged = merge_counts(word_results)
print(merged.to_list().sort_by(pair => pair[1], :desc).take(4))
