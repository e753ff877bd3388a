# Graph methods return their last statement's value when there is no `return`.
graph G {
    n: 2
    fn twice() {
        n * 2
    }
}
print(G.clone().twice())   # expect: 4
