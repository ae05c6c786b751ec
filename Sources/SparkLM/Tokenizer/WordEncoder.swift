/// Byte-pair encoding of one pre-tokenized word: start from one symbol per byte, then repeatedly
/// merge the adjacent pair whose rule has the lowest rank (the leftmost such pair on ties) until
/// no rule applies. A heap of candidate pairs keeps long words (a 4 KB run of punctuation) at
/// O(n log n) instead of the textbook O(n²) rescans.
struct WordEncoder {
    let table: MergeTable

    /// A candidate merge of the symbols at `left` and `right`, valid only while both still hold
    /// the symbols recorded here and are still neighbours.
    private struct Candidate {
        var rank: Int32
        var left: Int32
        var right: Int32
        var leftSymbol: Int32
        var rightSymbol: Int32
        var result: Int32

        @inline(__always) func comesBefore(_ other: Candidate) -> Bool {
            rank != other.rank ? rank < other.rank : left < other.left
        }
    }

    /// The symbols of `bytes` after merging, in order (token ids, or synthetic ids for texts
    /// the vocabulary lacks; see `MergeTable`).
    func encode(_ bytes: ArraySlice<UInt8>) -> [Int32] {
        let count = bytes.count
        if count == 0 { return [] }
        var symbols = bytes.map { table.byteSymbols[Int($0)] }
        if count == 1 { return symbols }

        // Doubly linked list over positions; a merged-away position gets symbol -1.
        var previous = (0..<count).map { Int32($0) - 1 }
        var next = (0..<count).map { $0 + 1 < count ? Int32($0 + 1) : -1 }
        var heap: [Candidate] = []
        heap.reserveCapacity(count)

        func offer(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let leftSymbol = symbols[Int(left)], rightSymbol = symbols[Int(right)]
            guard let merge = table.merge(leftSymbol, rightSymbol) else { return }
            push(Candidate(rank: merge.rank, left: left, right: right, leftSymbol: leftSymbol, rightSymbol: rightSymbol,
                           result: merge.result))
        }

        func push(_ candidate: Candidate) {
            heap.append(candidate)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].comesBefore(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        func pop() -> Candidate {
            let top = heap[0]
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var parent = 0
                while true {
                    let leftChild = 2 * parent + 1, rightChild = leftChild + 1
                    var best = parent
                    if leftChild < heap.count && heap[leftChild].comesBefore(heap[best]) { best = leftChild }
                    if rightChild < heap.count && heap[rightChild].comesBefore(heap[best]) { best = rightChild }
                    if best == parent { break }
                    heap.swapAt(parent, best)
                    parent = best
                }
            }
            return top
        }

        for position in 1..<count {
            offer(Int32(position - 1), Int32(position))
        }

        while !heap.isEmpty {
            let candidate = pop()
            let left = Int(candidate.left), right = Int(candidate.right)
            guard symbols[left] == candidate.leftSymbol, symbols[right] == candidate.rightSymbol,
                  next[left] == candidate.right else {
                continue  // outdated: one side has merged with something else since
            }
            symbols[left] = candidate.result
            symbols[right] = -1
            next[left] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = Int32(left) }
            offer(previous[left], Int32(left))
            offer(Int32(left), next[left])
        }

        var result: [Int32] = []
        var position: Int32 = 0
        while position >= 0 {
            result.append(symbols[Int(position)])
            position = next[Int(position)]
        }
        return result
    }
}
