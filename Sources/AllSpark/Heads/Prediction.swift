import SparkEngine

/// A class (or identity) and its probability.
public struct ClassScore: Sendable, Equatable, Codable {
    public var index: Int
    public var label: String
    public var probability: Float
}

/// A gallery image ranked against the query by cosine similarity of their embeddings.
public struct GalleryMatch: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var similarity: Float
}

/// What a task head predicts, in the task's own units.
public enum Prediction: Sendable, Equatable {
    /// Every class with its probability, most probable first.
    case classification([ClassScore])
    /// Unscaled values with the target's name and unit.
    case regression(values: [Float], target: String, unit: String)
    /// Future positions `[steps, 2]` in the input's coordinate units.
    case trajectory(Tensor)
    /// Future values `[nodes, steps]` in the target's units.
    case series(Tensor, unit: String)
    /// Identity probabilities, the query's embedding, and the gallery ranked by similarity.
    case reidentification(identities: [ClassScore], embedding: [Float], ranking: [GalleryMatch])
    /// Depth `[rows, columns]` of the reference view, in scene units.
    case depth(Tensor)
    /// No head: the language model's generation is the answer.
    case generation
}
