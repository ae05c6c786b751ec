import Foundation
import SparkEngine

/// The human-readable form of a `BLASKernelReport`, shared by `allspark doctor` and the top of
/// `allspark bench gemm`.
enum BLASKernelText {
    static func lines(_ r: BLASKernelReport) -> [String] {
        var lines: [String] = []
        let version = r.library.version.map { "\($0) — " } ?? ""
        lines.append(row("OpenBLAS", "\(version)\(r.library.config.isEmpty ? "(no config string)" : r.library.config)"))
        lines.append(row("kernel", "\(r.library.coreName.isEmpty ? "(unnamed)" : r.library.coreName), "
                         + "\(r.library.threads) thread\(r.library.threads == 1 ? "" : "s")"))
        lines.append(row("chosen by", r.coreTypeSummary))
        lines.append(row("CPU", cpuLine(r.cpu)))
        lines.append(row("features", r.cpu.features.isEmpty ? "(unknown)" : r.cpu.features.joined(separator: " ")))
        if let peak = r.peak {
            lines.append(row("peak", String(format: "%.1f GFLOP/s = %d core%@ × %.3f GHz (nominal cpu MHz) × %d FLOPs/cycle",
                                            peak.gflops, peak.cores, peak.cores == 1 ? "" : "s",
                                            peak.megahertz / 1000, peak.flopsPerCycle)))
            lines.append(row("", "assumes " + peak.assumption))
        } else {
            lines.append(row("peak", "unknown (no frequency or core count in /proc/cpuinfo)"))
        }
        if let rate = r.sgemm {
            let fraction = r.fractionOfPeak.map { String(format: " = %.2f of the peak estimate", $0) } ?? ""
            lines.append(row("sgemm \(rate.size)²", String(format: "%.1f GFLOP/s", rate.gflops) + fraction
                             + " (median of \(rate.samples.count))"))
        }
        if let test = r.selfTest {
            lines.append(row("self-test", String(format: "%@, max relative error %.2e (tolerance %.0e), %.1f ms",
                                                 test.passed ? "passed" : "FAILED", test.maxRelativeError,
                                                 test.tolerance, test.seconds * 1000)
                             + (test.passed ? "" : ", worst: \(test.worstProblem)")))
        }
        lines.append(row("int8 kernel", "\(r.integerProducts) (the decoder's own quantised products, not BLAS)"))
        if let warning = r.warning { lines.append(warning) }
        return lines
    }

    static func cpuLine(_ cpu: BLASKernelReport.CPUSummary) -> String {
        var identity = [cpu.vendor]
        if let family = cpu.family { identity.append("family \(family)") }
        if let model = cpu.model { identity.append("model \(model)") }
        if let stepping = cpu.stepping { identity.append("stepping \(stepping)") }
        let name = cpu.modelName.isEmpty ? "(unknown)" : cpu.modelName
        let ids = identity.filter { !$0.isEmpty }.joined(separator: " ")
        return name + (ids.isEmpty ? "" : " (\(ids))")
            + ", \(cpu.physicalCores) core\(cpu.physicalCores == 1 ? "" : "s"), \(cpu.logicalProcessors) logical"
    }

    static func row(_ label: String, _ value: String) -> String {
        label.padding(toLength: 13, withPad: " ", startingAt: 0) + value
    }
}
