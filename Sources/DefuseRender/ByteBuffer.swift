import Foundation

/// A growable byte buffer that owns its memory and frees it in `deinit`. Appending a few
/// bytes is a bounds check and a memcpy, where `[UInt8].append(contentsOf:)` costs a
/// uniqueness check and a generic copy each time: this is the JSON writer's hot path.
final class ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        guard let p = malloc(self.capacity) else { fatalError("out of memory for a \(self.capacity)-byte buffer") }
        base = p.assumingMemoryBound(to: UInt8.self)
    }

    deinit { free(base) }

    @inline(__always) func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { grow(count + bytes.count) }
        (base + count).update(from: src, count: bytes.count)
        count += bytes.count
    }

    /// Grows by `realloc`: a large buffer is its own mapping, which the kernel moves without
    /// copying or touching its pages again (a fresh page costs a fault, dear on a VM).
    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        guard let p = realloc(base, c) else { fatalError("out of memory for a \(c)-byte buffer") }
        base = p.assumingMemoryBound(to: UInt8.self)
        capacity = c
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    func removeAll() { count = 0 }
}
