import Testing
@testable import AllSpark
import SparkEngine

/// Per-module and global gradient norms against hand computations, and their CSV row.
struct ModuleGradientNormsTests {
    @Test func groupsByTheNamesFirstTwoPartsAndSumsSquares() {
        let gradients: [String: Tensor] = [
            "heads.trajectory.weight": Tensor(shape: [2], scalars: [3, 4]),
            "heads.trajectory.bias": Tensor(shape: [1], scalars: [12]),
            "bridges.trajectory.layers.0.cross.q.weight": Tensor(shape: [2], scalars: [1, 2]),
            "bridges.trajectory.queries": Tensor(shape: [1], scalars: [-2]),
            "scale": Tensor(shape: [1], scalars: [-0.5]),
        ]
        let norms = ModuleGradientNorms(gradients, modules: ["encoders.trajectory", "bridges.trajectory", "heads.trajectory"])
        // heads: √(9 + 16 + 144) = 13; bridges: √(1 + 4 + 4) = 3; no encoder gradient: 0;
        // all together, "scale" included: √(169 + 9 + 0.25) = 13.35.
        #expect(norms.norms == [0, 3, 13])
        #expect(abs(norms.global - Float((178.25 as Double).squareRoot())) < 1e-6)
        #expect(ModuleGradientNorms.header(modules: norms.modules) == "step,encoders.trajectory,bridges.trajectory,heads.trajectory")
        #expect(norms.row(step: 7) == "7,0,3,13")
    }

    /// Clipping with the measured norm does what clipping that measures it does.
    @Test func clippingWithTheMeasuredNormMatchesMeasuringAgain() {
        let gradients: [String: Tensor] = ["heads.x.weight": Tensor(shape: [2], scalars: [3, 4]), "bridges.x.q": Tensor(shape: [1], scalars: [12])]
        var measuring = gradients, given = gradients
        let norm = clipGlobalNorm(&measuring, maximum: 1)
        #expect(clipGlobalNorm(&given, maximum: 1, norm: ModuleGradientNorms(gradients, modules: []).global) == norm)
        #expect(norm == 13 && given == measuring)
    }
}
