import Testing
@testable import AllSpark
import SparkEngine

/// Per-module gradient norms against hand computations, and their CSV row.
struct ModuleGradientNormsTests {
    @Test func groupsByTheNamesFirstTwoPartsAndSumsSquares() {
        let gradients: [String: Tensor] = [
            "heads.trajectory.weight": Tensor(shape: [2], scalars: [3, 4]),
            "heads.trajectory.bias": Tensor(shape: [1], scalars: [12]),
            "bridges.trajectory.layers.0.cross.q.weight": Tensor(shape: [2], scalars: [1, 2]),
            "bridges.trajectory.queries": Tensor(shape: [1], scalars: [-2]),
            "scale": Tensor(shape: [1], scalars: [-0.5]),
        ]
        let norms = ModuleGradientNorms(gradients)
        // heads: √(9 + 16 + 144) = 13; bridges: √(1 + 4 + 4) = 3; "scale" alone: 0.5.
        #expect(norms.modules == ["bridges.trajectory", "heads.trajectory", "scale"])
        #expect(norms.norms == [3, 13, 0.5])
        #expect(norms.header == "step,bridges.trajectory,heads.trajectory,scale")
        #expect(norms.row(step: 7) == "7,3,13,0.5")
    }

    @Test func noGradientsNoModules() {
        #expect(ModuleGradientNorms([:]).modules.isEmpty)
        #expect(ModuleGradientNorms([:]).header == "step")
    }
}
