import Foundation

// `compare` prints, as Markdown tables, what docs/LIBRARY-CHOICES.md records:
//   compare bad-zip | bad-csv        each (parser, malformed input) in its own child process
//   compare bad-npz-write            names a writer should refuse; same bytes on a second write?
//   compare bench-npz FILE...        read time and peak RSS, ours vs ZIPFoundation
//   compare bench-npz-write FILE     write time and size, ours vs ZIPFoundation (leaves FILE.<writer>.npz)
//   compare bench-csv FILE           parse, and parse + type, time and peak RSS: ours vs SwiftCSV vs CSV.swift
// The child commands (`one`, `time-one`) are how the parent isolates each run: a library that
// traps takes only its child down, and the parent records the signal.

let arguments = Array(CommandLine.arguments.dropFirst())

func usage() -> Never {
    print("""
    usage: compare bad-zip | bad-csv | bad-npz-write
           compare bench-npz FILE... | bench-npz-write FILE | bench-csv FILE
           (children: compare one zip|csv|npz-write PARSER CASE PATH; compare time-one npz|npz-write|csv|csv-parse PARSER FILE)
    """)
    exit(2)
}

switch arguments.first {
case "bad-zip":
    printBadInputTable(kind: "zip", parsers: ZipParsers.names, cases: ZipCases.all.map { ($0.id, $0.what) })
case "bad-csv":
    printBadInputTable(kind: "csv", parsers: CSVParsers.names, cases: CSVCases.all.map { ($0.id, $0.what) })
case "bad-npz-write":
    printBadInputTable(kind: "npz-write", parsers: ZipParsers.writerNames.filter { $0.hasSuffix("/deflated") },
                       cases: ZipParsers.writerCases.map { ($0.id, $0.what) })
case "one" where arguments.count == 5:
    runOneCase(kind: arguments[1], parser: arguments[2], caseID: arguments[3], path: arguments[4])
case "time-one" where arguments.count == 4:
    timeOne(kind: arguments[1], parser: arguments[2], file: arguments[3])
case "bench-npz" where arguments.count >= 2:
    benchRead(kinds: ["npz"], parsers: ZipParsers.names, files: Array(arguments.dropFirst()))
case "bench-npz-write" where arguments.count == 2:
    benchNPZWrite(file: arguments[1])
case "bench-csv" where arguments.count == 2:
    benchRead(kinds: ["csv-parse", "csv"], parsers: CSVParsers.names, files: [arguments[1]])
default:
    usage()
}
