import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// The trajectory head predicts deviations from constant velocity: a zero output is exactly the
/// constant-velocity forecast, and training targets are the future minus that forecast.
struct TrajectoryHeadTests {
    typealias T = StructuredEncoderTesting

    @Test func zeroOutputsReadOutAsConstantVelocity() throws {
        let section = try T.tiny().section(.trajectory).head
        let head = try TaskHead(ParameterStore(seed: 1), modality: .trajectory, section: section, width: 8)
        let observed = Tensor(shape: [3, 2], scalars: [0, 0, 1, 0.5, 2, 1])
        var context = HeadContext(origin: (2, 1))
        context.velocity = TrajectoryVelocity.lastStep(observed)
        guard case .trajectory(let points) = head.predict(Tensor(zeros: [section.outputCount]), context: context) else {
            Issue.record("not a trajectory prediction"); return
        }
        let steps = section.steps ?? 0
        #expect(points.shape == [steps, 2])
        for k in 0..<steps {
            #expect(points[k, 0] == 2 + Float(k + 1) * 1 && points[k, 1] == 1 + Float(k + 1) * 0.5)
        }
    }

    @Test func trainingTargetsAreTheFutureMinusConstantVelocity() throws {
        let configuration = try T.tiny()
        let head = try configuration.section(.trajectory).head
        let sample = try T.sample(.trajectory, "social-force-000-corridor.txt", ["pedestrian": "21", "start": "800"])
        guard case .trajectory(let observed, _) = sample.content, case .futureTrajectory(let future)? = sample.label else {
            Issue.record("the sample has no future track"); return
        }
        let (target, _) = try TrainingDataset.target(of: sample, head: head)
        guard case .values(let values, _) = target else { Issue.record("not a value target"); return }
        let n = observed.shape[0]
        let v = (observed[n - 1, 0] - observed[n - 2, 0], observed[n - 1, 1] - observed[n - 2, 1])
        for k in 0..<(head.steps ?? 0) {
            let expectedX = future[k, 0] - observed[n - 1, 0] - Float(k + 1) * v.0
            let expectedY = future[k, 1] - observed[n - 1, 1] - Float(k + 1) * v.1
            #expect(abs(head.unscale(values[2 * k], index: 0) - expectedX) < 1e-4)
            #expect(abs(head.unscale(values[2 * k + 1], index: 1) - expectedY) < 1e-4)
        }
    }
}
