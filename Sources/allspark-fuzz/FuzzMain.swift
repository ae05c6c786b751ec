// libFuzzer entry point: FUZZ_TARGET names the parser (`FUZZ_TARGET=list` prints every target and
// its suggested -max_len). scripts/fuzz.sh builds this with -DALLSPARK_FUZZ, AddressSanitizer and
// libFuzzer's coverage instrumentation; a plain `swift build` compiles only the stub at the end.
#if ALLSPARK_FUZZ
import Foundation

/// libFuzzer without its own `main` (libclang_rt.fuzzer_no_main): SwiftPM links an executable's
/// entry point as `<module>_main`, which would clash with the `main` of the usual runtime.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

private var selected: FuzzTarget?
/// FUZZ_PRINT_ERRORS=1 prints each input's error: run on a corpus file, it says why it is refused.
private var printErrors = false

@_cdecl("allspark_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    if name == "list" {
        for target in FuzzTarget.all { print(target.name, target.maxLength) }
        return 0
    }
    guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
        let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("allspark-fuzz: FUZZ_TARGET is '\(name)'; expected one of: \(names) (or list)\n".utf8))
        return 2
    }
    selected = target
    printErrors = ProcessInfo.processInfo.environment["FUZZ_PRINT_ERRORS"] == "1"
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        // A thrown error is the expected answer to a bad file; only traps and sanitizer reports count.
        do {
            try selected!.run(bytes)
            if printErrors { FileHandle.standardError.write(Data("accepted\n".utf8)) }
        } catch {
            if printErrors { FileHandle.standardError.write(Data("refused: \(error)\n".utf8)) }
        }
        return 0
    }
}
#else
@main
enum FuzzStub {
    static func main() {
        print("allspark-fuzz was built without the fuzzer; run scripts/fuzz.sh (see fuzz/README.md)")
    }
}
#endif
