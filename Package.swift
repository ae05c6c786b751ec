// swift-tools-version:6.0
// AllSpark: a terminal program that runs the AllSpark multimodal model on a CPU.
// Licence: GPL-3.0-or-later (links GNU readline). See LICENSE.
import PackageDescription

/// The engine's and the decoder's hot loops are written over unsafe pointers with explicit bounds
/// validation up front; `-Ounchecked` removes the per-index overflow checks that otherwise block
/// their vectorisation (about 30× slower loops without it, measured on this project's machines).
/// Only those two kernel targets get it. Everything that reads bytes from a file (SparkFormats,
/// AllSparkData) and the model code (AllSpark, SparkGrad, the TUI) is built with every check on,
/// so a bug there traps instead of reading out of bounds: `allspark bench gemm/llm/pipeline/train`
/// before and after this split are in docs/ARCHITECTURE.md ("Checked and unchecked code").
/// AVX2 + FMA (haswell, x86-64-v3) is the baseline of every machine this project runs on.
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
    .unsafeFlags(["-target-cpu", "haswell"]),
]
let checkedFlags: [SwiftSetting] = [
    .unsafeFlags(["-wmo"], .when(configuration: .release)),
    .unsafeFlags(["-target-cpu", "haswell"]),
]

let package = Package(
    name: "allspark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "allspark", targets: ["allspark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, each with a C shim header.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The field's own readers: GDAL for rasters (GeoTIFF, ENVI), FFmpeg for video files.
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),
        // libjpeg's default error handler calls exit(): this C target installs one that
        // longjmps back, so a corrupt JPEG is an error value, not the end of the process.
        .target(name: "CJPEGShim", linkerSettings: [.linkedLibrary("jpeg")]),
        // FFmpeg logs through a callback that gets a C va_list, which Swift cannot format: this C
        // target formats each error into a per-thread buffer, so a DataError can quote FFmpeg.
        .target(name: "CFFmpegShim", dependencies: ["CFFmpeg"], linkerSettings: [.linkedLibrary("avutil")]),

        // Libraries. Dependencies point one way:
        // SparkEngine <- SparkFormats <- SparkLM <- AllSpark <- AllSparkTUI <- allspark,
        // and AllSparkData depends only on SparkEngine and SparkFormats.
        // The integer block products of the llama.cpp-compatible numerics (AVX2, and AVX-512 VNNI
        // chosen at run time): Swift cannot reach the byte multiply-accumulate instructions.
        .target(name: "CQuantKernels",
                cSettings: [.unsafeFlags(["-O2", "-mavx2", "-mfma", "-mf16c", "-ffp-contract=off"])]),
        .target(name: "SparkEngine", dependencies: ["COpenBLAS", "CQuantKernels"], swiftSettings: kernelFlags),
        .target(name: "SparkFormats", dependencies: ["SparkEngine", "CZlib"], swiftSettings: checkedFlags),
        .target(name: "SparkLM", dependencies: ["SparkEngine", "SparkFormats"], swiftSettings: kernelFlags),
        // Reverse-mode gradients over SparkEngine's operations (docs/AUTOGRAD.md).
        .target(name: "SparkGrad", dependencies: ["SparkEngine"], swiftSettings: checkedFlags),
        .target(name: "AllSparkData", dependencies: ["SparkEngine", "SparkFormats", "CPNG", "CJPEGShim", "CGDAL", "CFFmpeg", "CFFmpegShim"],
                swiftSettings: checkedFlags),
        .target(name: "AllSpark", dependencies: ["SparkEngine", "SparkFormats", "SparkLM", "SparkGrad", "AllSparkData"],
                resources: [], swiftSettings: checkedFlags),
        .target(name: "AllSparkTUI", dependencies: ["AllSpark", "AllSparkData", "SparkLM", "SparkFormats", "CNcursesw", "CReadline"]),
        // libFuzzer targets, one per file reader (fuzz/README.md). Only scripts/fuzz.sh builds the
        // fuzzing code (with -DALLSPARK_FUZZ, into .build-fuzz); any other build gets a stub.
        .executableTarget(name: "allspark-fuzz", dependencies: ["AllSpark", "AllSparkData", "SparkFormats", "SparkLM"],
                          swiftSettings: checkedFlags),
        .executableTarget(name: "allspark", dependencies: [
            "AllSparkTUI", "AllSpark", "AllSparkData", "SparkLM", "SparkFormats", "SparkEngine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "SparkEngineTests", dependencies: ["SparkEngine"]),
        .testTarget(name: "SparkGradTests", dependencies: ["SparkGrad", "SparkEngine"]),
        .testTarget(name: "SparkFormatsTests", dependencies: ["SparkFormats", "SparkEngine"]),
        // Counts malloc/calloc/realloc in the test executable, for the tests that check a decoded
        // token allocates nothing (Tests/CAllocationCounter; never linked into the program).
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),
        .testTarget(name: "SparkLMTests", dependencies: ["SparkLM", "SparkFormats", "SparkEngine", "CAllocationCounter"],
                    resources: [.copy("Resources")]),
        .testTarget(name: "AllSparkDataTests", dependencies: ["AllSparkData", "SparkFormats", "SparkEngine"]),
        .testTarget(name: "AllSparkTests", dependencies: ["AllSpark", "AllSparkData", "SparkLM", "SparkGrad", "SparkEngine"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "AllSparkTUITests", dependencies: ["AllSparkTUI", "AllSpark"]),
    ],
    swiftLanguageModes: [.v5]
)
