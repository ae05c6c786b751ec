// swift-tools-version:6.0
// Measures our NPZ zip reader/writer and CSV reader against ZIPFoundation, SwiftCSV and CSV.swift
// (docs/LIBRARY-CHOICES.md has the results and the commands). Not part of the program, nor built by
// the root package or CI: `cd tools/library-comparison && swift run -c release compare` lists them.
import PackageDescription

// The root package exports only the `allspark` executable, so a path dependency on "../.." could
// not import SparkFormats or AllSparkData. Instead Ours/ holds symlinks into the root's Sources/,
// compiled here with the root's flags: the comparison always measures the current code, and no
// copy of it is kept.
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
    .unsafeFlags(["-target-cpu", "haswell"]),
]
let checkedFlags: [SwiftSetting] = [
    .unsafeFlags(["-wmo"], .when(configuration: .release)),
    .unsafeFlags(["-target-cpu", "haswell"]),
]

let package = Package(
    name: "library-comparison",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", exact: "0.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Ours/COpenBLAS", pkgConfig: "openblas"),
        .target(name: "SparkEngine", dependencies: ["COpenBLAS"], path: "Ours/SparkEngine", swiftSettings: kernelFlags),
        // ZIPFoundation ships a clang module named CZlib too (the same zlib.h), and two modules of one
        // name cannot coexist, so SparkFormats gets its `import CZlib` through ZIPFoundation's.
        .target(name: "SparkFormats", dependencies: ["SparkEngine", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                path: "Ours/SparkFormats",
                swiftSettings: checkedFlags),
        // Of AllSparkData, only the files the table loader needs (linked one by one in Ours/OurCSV):
        // the whole target pulls in image, video and raster libraries the CSV reader never touches.
        // `-enable-testing` lets `compare` time our internal `CSVReader.parse` alone (parse only,
        // as the libraries do) beside the public `TableLoader` (parse and type every field).
        .target(name: "OurCSV", dependencies: ["SparkEngine"], path: "Ours/OurCSV",
                swiftSettings: checkedFlags + [.unsafeFlags(["-enable-testing"])]),
        .executableTarget(name: "compare", dependencies: [
            "SparkFormats", "OurCSV",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "SwiftCSV", package: "SwiftCSV"),
            .product(name: "CSV", package: "CSV.swift"),
        ], swiftSettings: checkedFlags),
    ],
    swiftLanguageModes: [.v5]
)
