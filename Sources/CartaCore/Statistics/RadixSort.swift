/// Least-significant-digit radix sort of 64-bit keys (11-bit digits, 6 passes, passes where every
/// key shares the digit are skipped); O(n), two buffers, no per-element allocation.
///
/// Source: Knuth TAOCP vol. 3 §5.2.5; used to sort non-negative `Double` times by bit pattern
/// (IEEE 754 order equals unsigned integer order for non-negative values).
enum RadixSort {
    /// Sorts `keys` ascending in place.
    static func sort(_ keys: inout [UInt64]) {
        let n = keys.count
        if n < 2 { return }
        if n < 512 { keys.sort(); return }
        let bits = 11, radix = 1 << bits, passes = 6
        let mask = UInt64(radix - 1)
        var counts = [Int](repeating: 0, count: radix * passes)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for key in k {
                    var shifted = key
                    for p in 0..<passes {
                        c[p &* radix &+ Int(truncatingIfNeeded: shifted & mask)] &+= 1
                        shifted >>= UInt64(bits)
                    }
                }
            }
        }
        var scratch = [UInt64](repeating: 0, count: n)
        var inScratch = false
        counts.withUnsafeMutableBufferPointer { c in
            keys.withUnsafeMutableBufferPointer { a in
                scratch.withUnsafeMutableBufferPointer { b in
                    for p in 0..<passes {
                        let base = p * radix
                        // Skip a pass whose digit is the same for every key.
                        var trivial = false
                        for d in 0..<radix where c[base + d] != 0 { trivial = c[base + d] == n; break }
                        if trivial { continue }
                        var sum = 0
                        for d in 0..<radix { let t = c[base + d]; c[base + d] = sum; sum &+= t }
                        let src = inScratch ? b : a
                        let dst = inScratch ? a : b
                        let shift = UInt64(p * bits)
                        for key in src {
                            let d = base &+ Int(truncatingIfNeeded: (key >> shift) & mask)
                            dst[c[d]] = key
                            c[d] &+= 1
                        }
                        inScratch.toggle()
                    }
                }
            }
        }
        if inScratch { keys = scratch }
    }
}
