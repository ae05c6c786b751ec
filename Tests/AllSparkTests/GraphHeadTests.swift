import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// The graph head predicts deviations from persistence (each sensor's last reading): a zero output
/// is exactly the persistence forecast, training targets are the future minus it, and missing
/// future readings (0) are not targets.
struct GraphHeadTests {
    typealias T = StructuredEncoderTesting

    @Test func lastReadingsSkipMissingValues() {
        // [steps 3, nodes 3, features 1]: node 0 ends on a reading, node 1 on a missing one (0),
        // node 2 never reports.
        let series = Tensor(shape: [3, 3, 1], scalars: [50, 40, 0, 51, 42, 0, 52, 0, 0])
        #expect(GraphPersistence.lastReadings(series, fallback: 60) == [52, 42, 60])
    }

    @Test func zeroOutputsReadOutAsPersistence() throws {
        let section = try T.tiny().section(.graph).head
        let head = try TaskHead(ParameterStore(seed: 1), modality: .graph, section: section, width: 8)
        let nodes = section.nodes ?? 0, steps = section.steps ?? 0
        var context = HeadContext()
        context.lastReadings = (0..<nodes).map { Float(40 + $0 % 20) }
        guard case .series(let forecast, _) = head.predict(Tensor(zeros: [section.outputCount]), context: context) else {
            Issue.record("not a series prediction"); return
        }
        #expect(forecast.shape == [nodes, steps])
        for node in [0, 7, nodes - 1] {
            for step in [0, steps - 1] { #expect(forecast[node, step] == Float(40 + node % 20)) }
        }
        // One standard deviation above persistence at node 3, step 2.
        var outputs = Tensor(zeros: [section.outputCount])
        outputs.scalars[3 * steps + 2] = 1
        guard case .series(let moved, _) = head.predict(outputs, context: context) else { return }
        #expect(abs(moved[3, 2] - (43 + (section.std?[0] ?? 1))) < 1e-4)
    }

    @Test func trainingTargetsAreTheFutureMinusPersistenceAndSkipMissingReadings() throws {
        let configuration = try T.tiny()
        let head = try configuration.section(.graph).head
        let sample = try T.sample(.graph, "traffic-002.npz", ["start": "87"])
        guard case .graph(let series, _, _, _) = sample.content, case .futureSeries(let future)? = sample.label else {
            Issue.record("the sample has no future series"); return
        }
        let (target, _) = try TrainingDataset.target(of: sample, head: head)
        guard case .values(let values, let observed?) = target else { Issue.record("not a masked value target"); return }
        let last = GraphPersistence.lastReadings(series, fallback: head.unscale(0))
        let steps = head.steps ?? 0, std = head.std?[0] ?? 1
        var checked = 0
        for node in 0..<(head.nodes ?? 0) {
            for step in 0..<steps {
                let i = node * steps + step
                #expect(observed[i] == (future[step, node] != 0))
                if observed[i] {
                    #expect(abs(values[i] * std - (future[step, node] - last[node])) < 1e-3)
                    checked += 1
                } else {
                    #expect(values[i] == 0)
                }
            }
        }
        #expect(checked > 0)
    }

    @Test func metricMasksMissingReadingsAndComparesWithPersistence() throws {
        let head = try T.tiny().section(.graph).head
        let count = head.outputCount, std = Double(head.std?[0] ?? 1)
        var target = [Float](repeating: 0, count: count), observed = [Bool](repeating: false, count: count)
        target[0] = 1; observed[0] = true      // persistence off by one std
        target[1] = -2; observed[1] = true     // off by two
        target[2] = 5                           // missing: not counted
        let example = TrainingExample(reference: SampleReference(path: "memory"), input: Tensor(zeros: [1]),
                                      target: .values(target, observed: observed), answer: nil, label: "future series")
        var output = Tensor(zeros: [count])
        output.scalars[0] = 1                   // exact at 0, off by two at 1
        let report = ModalityTrainer.graph([output], [example], head: head)
        #expect(abs(report.model - std) < 1e-4)               // (0 + 2) / 2 std
        #expect(abs(report.baseline - 1.5 * std) < 1e-4)      // (1 + 2) / 2 std
        #expect(report.extra["values"] == 2)
    }

    /// The depth target averages each grid cell's known depths (0 = unknown); a cell without one
    /// is not a target.
    @Test func depthTargetAveragesKnownDepthsPerCell() throws {
        let head = try T.tiny().section(.oblique).head
        let grid = head.grid ?? []
        let (height, width) = (grid[0] * 2, grid[1] * 2)
        var map = Tensor(shape: [height, width], scalars: (0..<(height * width)).map { Float(140 + $0 % 7) })
        // Cell (0, 0): one unknown pixel of four; cell (0, 1): all unknown.
        map[0, 0] = 0
        for y in 0..<2 { for x in 2..<4 { map[y, x] = 0 } }
        guard case .values(let values, let observed?) = try TrainingDataset.depthTarget(map, head: head, file: "memory") else {
            Issue.record("not a masked value target"); return
        }
        #expect(observed[0] && !observed[1] && observed[2])
        let expected = (map[0, 1] + map[1, 0] + map[1, 1]) / 3
        #expect(abs(head.unscale(values[0]) - expected) < 1e-3)
        #expect(throws: TrainingDataset.Problem.self) { try TrainingDataset.depthTarget(Tensor(zeros: [3, 3]), head: head, file: "memory") }
    }
}
