import AllSparkData
import SparkEngine

/// The optimiser's numbers for one run. Defaults per modality come from the paper's Table 3
/// (maximum learning rate, epochs, warm-up epochs); every one can be overridden.
public struct TrainingSchedule: Sendable, Equatable {
    public var learningRate: Float
    public var epochs: Int
    public var warmupEpochs: Int
    public var batchSize: Int = 8
    public var weightDecay: Float = 0.01
    public var clipNorm: Float = 1
    public var seed: UInt64 = 1
    /// Save the resumable state every this many steps (and at every epoch's end).
    public var saveEvery: Int = 50

    public init(learningRate: Float, epochs: Int, warmupEpochs: Int) {
        self.learningRate = learningRate; self.epochs = epochs; self.warmupEpochs = warmupEpochs
    }

    /// Table 3 of the paper.
    public static func paper(_ modality: Modality) -> TrainingSchedule {
        switch modality {
        case .text: return TrainingSchedule(learningRate: 9e-6, epochs: 5, warmupEpochs: 1)
        case .code: return TrainingSchedule(learningRate: 1e-5, epochs: 4, warmupEpochs: 1)
        case .rgb: return TrainingSchedule(learningRate: 5e-5, epochs: 50, warmupEpochs: 5)
        case .msi: return TrainingSchedule(learningRate: 2e-5, epochs: 50, warmupEpochs: 5)
        case .hsi: return TrainingSchedule(learningRate: 1e-4, epochs: 30, warmupEpochs: 3)
        case .infrared: return TrainingSchedule(learningRate: 5e-5, epochs: 50, warmupEpochs: 5)
        case .sar: return TrainingSchedule(learningRate: 9e-6, epochs: 30, warmupEpochs: 3)
        case .oblique: return TrainingSchedule(learningRate: 5e-5, epochs: 30, warmupEpochs: 3)
        case .table: return TrainingSchedule(learningRate: 2e-5, epochs: 30, warmupEpochs: 3)
        case .trajectory: return TrainingSchedule(learningRate: 1e-5, epochs: 30, warmupEpochs: 5)
        case .graph: return TrainingSchedule(learningRate: 8e-5, epochs: 10, warmupEpochs: 2)
        case .pointcloud: return TrainingSchedule(learningRate: 3e-5, epochs: 100, warmupEpochs: 10)
        case .video: return TrainingSchedule(learningRate: 1e-5, epochs: 3, warmupEpochs: 1)
        }
    }

    public func stepsPerEpoch(examples: Int) -> Int { max(1, (examples + batchSize - 1) / batchSize) }
}

/// The order of the examples in `epoch`, a permutation fixed by the seed and the epoch alone (so
/// a resumed run sees the order the uninterrupted one saw).
public func epochOrder(count: Int, seed: UInt64, epoch: Int) -> [Int] {
    var generator = SeededRandomGenerator(seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1)))
    var order = Array(0..<count)
    order.shuffle(using: &generator)
    return order
}

/// The prompt of step `step` (the paper draws one at random for each forward pass), fixed by the
/// seed and the step.
public func promptIndex(count: Int, seed: UInt64, step: Int) -> Int {
    guard count > 1 else { return 0 }
    var generator = SeededRandomGenerator(seed: seed ^ 0xD1B5_4A32_D192_ED03 ^ UInt64(step))
    return Int(generator.next() % UInt64(count))
}
