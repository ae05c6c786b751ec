import CQuantKernels
import Foundation
import Testing

/// The per-thread scratch of the quantised products must not outlive its thread: the TUI runs
/// every job on a new thread.
@Suite struct ThreadScratchTests {
    @Test func scratchOfAnEndedThreadIsFreed() {
        // Other tests' threads may hold or free scratch meanwhile: count this test's threads by
        // what they see themselves while alive, and compare the totals around them.
        final class Box: @unchecked Sendable { var heldWhileAlive = 0; let lock = NSLock() }
        let box = Unmanaged.passRetained(Box())
        defer { box.release() }
        var threads: [pthread_t] = []
        let before = allspark_thread_scratch_count()
        for _ in 0..<16 {
            var thread = pthread_t()
            let made = pthread_create(&thread, nil, { context in
                let box = Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue()
                // 4 MiB, touched, as a long prefill's products would.
                if let buffer = allspark_thread_scratch(4 << 20) {
                    memset(buffer, 1, 4 << 20)
                    box.lock.lock(); box.heldWhileAlive += 1; box.lock.unlock()
                }
                return nil
            }, box.toOpaque())
            #expect(made == 0)
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
        #expect(box.takeUnretainedValue().heldWhileAlive == 16)
        // Sixteen ended threads whose buffers leaked would leave the count 16 higher.
        #expect(allspark_thread_scratch_count() - before < 16)
    }

    @Test func scratchIsReusedAndGrowsOnOneThread() throws {
        let small = try #require(allspark_thread_scratch(1024))
        #expect(Int(bitPattern: small) % 64 == 0)
        #expect(allspark_thread_scratch(512) == small)
        let large = try #require(allspark_thread_scratch(1 << 20))
        #expect(Int(bitPattern: large) % 64 == 0)
        #expect(allspark_thread_scratch(1024) == large)
    }
}
