import Foundation

/// What this machine's processor is and which vector instructions it offers, as Linux reports
/// them in `/proc/cpuinfo`.
///
/// The kernel's flags are the right source (rather than raw `cpuid`): Linux clears a feature's
/// flag when the OS does not save its register state (XSAVE), so a listed `avx512f` is usable.
/// On a system without `/proc/cpuinfo` every field is empty and no flag is set, which makes every
/// decision built on it the conservative one.
public struct CPUFeatures: Codable, Equatable, Sendable {
    /// "GenuineIntel", "AuthenticAMD", … (empty when unknown).
    public var vendor: String
    /// The marketing name ("AMD EPYC", "Intel(R) Xeon(R) Platinum 8581C CPU @ 2.30GHz").
    public var modelName: String
    public var family: Int?
    public var model: Int?
    public var stepping: Int?
    /// The first processor's "cpu MHz": a nominal reading taken when the file was read, not the
    /// turbo frequency the cores may reach under load.
    public var megahertz: Double?
    /// Logical processors listed.
    public var logicalProcessors: Int
    /// Distinct (physical id, core id) pairs: hyper-threads share one core's FMA units.
    /// Equals `logicalProcessors` when the file does not say.
    public var physicalCores: Int
    /// Every flag of the first processor, as Linux spells them ("avx2", "avx512_bf16", …).
    public var flags: Set<String>

    public init(vendor: String = "", modelName: String = "", family: Int? = nil, model: Int? = nil,
                stepping: Int? = nil, megahertz: Double? = nil, logicalProcessors: Int = 0,
                physicalCores: Int = 0, flags: Set<String> = []) {
        self.vendor = vendor
        self.modelName = modelName
        self.family = family
        self.model = model
        self.stepping = stepping
        self.megahertz = megahertz
        self.logicalProcessors = logicalProcessors
        self.physicalCores = physicalCores
        self.flags = flags
    }

    /// The flags that matter for dense Float32 products, in the order they are printed.
    public static let relevantFlags = [
        "sse3", "avx", "fma", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl",
        "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8",
    ]

    /// `relevantFlags` that this processor has.
    public var relevantFlagsPresent: [String] { Self.relevantFlags.filter(has) }

    public func has(_ flag: String) -> Bool {
        // Linux calls SSE3 "pni" (Prescott New Instructions).
        flag == "sse3" ? flags.contains("pni") || flags.contains("sse3") : flags.contains(flag)
    }

    /// AVX2 with fused multiply-add: what OpenBLAS's Haswell kernels need.
    public var hasAVX2FMA: Bool { has("avx2") && has("fma") }

    /// The AVX-512 subsets OpenBLAS's SkylakeX kernels are built for (F, DQ, BW, VL). Xeon Phi
    /// had AVX-512F without BW and VL: it must not get them.
    public var hasAVX512SkylakeSubset: Bool { ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(has) }

    /// Reads `/proc/cpuinfo`; empty features where it cannot be read.
    public static func current(path: String = "/proc/cpuinfo") -> CPUFeatures {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return CPUFeatures() }
        return parse(cpuinfo: text)
    }

    /// Parses the text of `/proc/cpuinfo`. Unknown or malformed lines are skipped.
    public static func parse(cpuinfo text: String) -> CPUFeatures {
        var features = CPUFeatures()
        var processors = 0
        var cores = Set<String>()
        var physicalID = "", coreID: String?
        var isFirstProcessor = true

        func finishProcessor() {
            if let coreID { cores.insert(physicalID + "/" + coreID) }
            physicalID = ""
            coreID = nil
        }

        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "processor" {
                if processors > 0 { finishProcessor(); isFirstProcessor = false }
                processors += 1
                continue
            }
            switch key {
            case "physical id": physicalID = value
            case "core id": coreID = value
            default: break
            }
            // Everything else comes from the first processor (they agree on one machine).
            guard isFirstProcessor else { continue }
            switch key {
            case "vendor_id": features.vendor = value
            case "model name": features.modelName = value
            case "cpu family": features.family = Int(value)
            case "model": features.model = Int(value)
            case "stepping": features.stepping = Int(value)
            case "cpu MHz": features.megahertz = Double(value).flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
            case "flags": features.flags = Set(value.split(separator: " ").map(String.init))
            default: break
            }
        }
        finishProcessor()
        features.logicalProcessors = processors
        features.physicalCores = cores.isEmpty ? processors : Swift.min(cores.count, processors)
        return features
    }
}
