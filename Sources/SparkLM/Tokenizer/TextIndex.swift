/// Byte strings numbered 0, 1, 2 … with a hash index to find a string's number: the vocabulary's
/// text→id map, also holding MergeTable's synthetic symbols after the real tokens.
///
/// Written out rather than `[String: Int32]` because `String` equality is canonical equivalence
/// (two distinct vocabulary entries must never be confused because they normalise alike), and
/// rather than `[[UInt8]: Int32]` because one contiguous buffer builds the 50,000-entry map for a
/// real vocabulary several times faster than 50,000 separately allocated arrays.
struct TextIndex {
    private var storage: [UInt8] = []
    /// `storage[starts[n]..<starts[n + 1]]` is string n.
    private var starts: [Int] = [0]
    /// Open addressing with linear probing: each slot holds a string number, or -1.
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        storage.reserveCapacity(capacity * 8)
        starts.reserveCapacity(capacity + 1)
    }

    var count: Int { starts.count - 1 }

    func bytes(of number: Int32) -> ArraySlice<UInt8> {
        storage[starts[Int(number)]..<starts[Int(number) + 1]]
    }

    /// The number of the last string equal to `text`, if any.
    func number<C: Collection>(of text: C) -> Int32? where C.Element == UInt8 {
        var slot = TextIndex.hash(text) & mask
        while true {
            let candidate = slots[slot]
            if candidate < 0 { return nil }
            if bytes(of: candidate).elementsEqual(text) { return candidate }
            slot = (slot + 1) & mask
        }
    }

    /// Appends `text` under the next number and returns that number. An equal string added
    /// earlier is shadowed: lookups find the newest (llama.cpp's behaviour for repeated texts).
    @discardableResult
    mutating func append<C: Collection>(_ text: C) -> Int32 where C.Element == UInt8 {
        let number = Int32(count)
        storage.append(contentsOf: text)
        starts.append(storage.count)
        if count * 2 > slots.count { grow() }
        place(number, replacingEqual: true)
        return number
    }

    private mutating func place(_ number: Int32, replacingEqual: Bool) {
        let text = bytes(of: number)
        var slot = TextIndex.hash(text) & mask
        while slots[slot] >= 0 {
            if replacingEqual && bytes(of: slots[slot]).elementsEqual(text) { break }
            slot = (slot + 1) & mask
        }
        slots[slot] = number
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for number in 0..<Int32(count) {
            place(number, replacingEqual: true)
        }
    }

    /// Seeded SipHash (the standard library's `Hasher`), so a crafted vocabulary cannot force
    /// collisions and a quadratic build.
    private static func hash<C: Collection>(_ text: C) -> Int where C.Element == UInt8 {
        var hasher = Hasher()
        let hashedContiguously: Void? = text.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashedContiguously == nil {
            let copy = Array(text)
            copy.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
        return hasher.finalize()
    }
}
