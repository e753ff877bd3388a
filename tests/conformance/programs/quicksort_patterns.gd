fn quicksort(xs) {
    return match xs {
        [] => []
        [pivot, ...rest] => {
            smaller = quicksort(rest.filter(x => x < pivot))
            larger = quicksort(rest.filter(x => x >= pivot))
            [smaller, [pivot], larger].flatten()
        }
    }
}
print(quicksort([5, 3, 8, 1, 9, 2, 5]))   # expect: [1, 2, 3, 5, 5, 8, 9]
print(quicksort([]))                      # expect: []
