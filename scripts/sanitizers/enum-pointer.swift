// Why `make test-asan` suppresses two leak reports (scripts/sanitizers/lsan-tests.supp): an array
// held by a global through a multi-payload enum is reported as leaked, because the enum keeps its
// case in the spare high bits of the pointer and LeakSanitizer does not read that as a pointer.
//
//   swiftc -O -sanitize=address scripts/sanitizers/enum-pointer.swift -o /tmp/enum-pointer
//   /tmp/enum-pointer dense   # "SUMMARY: AddressSanitizer: 4000032 byte(s) leaked in 1 allocation(s)."
//   /tmp/enum-pointer boxed   # no report: the same array inside a class is found through its plain pointer
final class Box { let values: [Float]; init(_ n: Int) { values = [Float](repeating: 1, count: n) } }
enum Storage { case boxed(Box), dense([Float]) }
struct Holder { var storage: Storage }

let kind = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "dense"
let held = kind == "dense" ? Holder(storage: .dense([Float](repeating: 2, count: 1_000_000)))
                           : Holder(storage: .boxed(Box(1_000_000)))
func element(_ holder: Holder) -> Float {
    switch holder.storage {
    case .dense(let values): return values[7]
    case .boxed(let box): return box.values[7]
    }
}
print(element(held))
