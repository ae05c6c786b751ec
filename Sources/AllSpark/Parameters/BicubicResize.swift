import SparkEngine

/// Bicubic resizing of a square grid of vectors, as ONNX's `Resize` computes it with
/// `mode = cubic`, `cubic_coeff_a = −0.75`, `coordinate_transformation_mode = half_pixel` and
/// `exclude_outside = 0` (no antialiasing): the output cell i reads input coordinate
/// (i + ½) · in / out − ½ and mixes the four nearest cells with Keys' cubic weights, indices
/// clamped at the border. Separable: rows, then columns. Used to fit a ViT's stored position
/// embeddings to another grid, exactly as the exported model itself does at run time.
enum BicubicResize {
    static let coefficientA: Float = -0.75

    /// grid `[side², width]` (row-major cells) → `[target², width]`.
    static func onnxCubic(_ grid: Tensor, side: Int, to target: Int) -> Tensor {
        let width = grid.shape[1]
        let taps = (0..<target).map { weights(output: $0, inputSize: side, outputSize: target) }
        let source = grid.scalars
        // Along columns: [side, target, width].
        var across = [Float](repeating: 0, count: side * target * width)
        for row in 0..<side {
            for (column, tap) in taps.enumerated() {
                let out = (row * target + column) * width
                for (index, weight) in tap {
                    let input = (row * side + index) * width
                    for k in 0..<width { across[out + k] += weight * source[input + k] }
                }
            }
        }
        // Along rows: [target, target, width].
        var result = [Float](repeating: 0, count: target * target * width)
        for (row, tap) in taps.enumerated() {
            for column in 0..<target {
                let out = (row * target + column) * width
                for (index, weight) in tap {
                    let input = (index * target + column) * width
                    for k in 0..<width { result[out + k] += weight * across[input + k] }
                }
            }
        }
        return Tensor(shape: [target * target, width], scalars: result)
    }

    /// The four (input index, weight) pairs of output cell `output`.
    static func weights(output: Int, inputSize: Int, outputSize: Int) -> [(Int, Float)] {
        let scale = Float(outputSize) / Float(inputSize)
        let coordinate = (Float(output) + 0.5) / scale - 0.5
        let base = coordinate.rounded(.down)
        let t = coordinate - base
        let a = coefficientA
        let distances: [Float] = [t + 1, t, 1 - t, 2 - t]
        return distances.enumerated().map { offset, d in
            let weight = d <= 1 ? ((a + 2) * d - (a + 3)) * d * d + 1 : ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
            let index = min(max(Int(base) - 1 + offset, 0), inputSize - 1)
            return (index, weight)
        }
    }
}
