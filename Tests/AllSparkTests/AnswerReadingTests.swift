import SparkEngine
import Testing

@testable import AllSpark

/// What a generated answer says beside a classification head (`AnswerReading`).
struct AnswerReadingTests {
    /// A classification head stage whose most probable class is `top` among hsi-like labels.
    func head(top: String, trained: Bool = true) -> HeadStage {
        let labels = ["Asphalt", "Meadows", "Bare Soil", "Bitumen"]
        let scores = labels.enumerated().map { ClassScore(index: $0.offset, label: $0.element, probability: $0.element == top ? 0.7 : 0.1) }
            .sorted { $0.probability > $1.probability }
        return HeadStage(pooling: .last, pooled: Tensor(shape: [1], scalars: [0]), outputs: nil,
                         prediction: .classification(scores),
                         provenance: trained ? .checkpoint(file: "weights/hsi.safetensors") : .untrained(seed: 1))
    }

    @Test func anAnswerNamingTheHeadsClassAgrees() throws {
        let reading = try #require(AnswerReading(answer: "A Bare Soil.", head: head(top: "Bare Soil")))
        #expect(reading.namedClass == "Bare Soil" && reading.headClass == "Bare Soil" && reading.agrees)
        #expect(reading.summary == "the answer names Bare Soil, as the head predicts")
    }

    @Test func anAnswerNamingAnotherClassDisagrees() throws {
        let reading = try #require(AnswerReading(answer: "A Bitumen.", head: head(top: "Asphalt")))
        #expect(reading.namedClass == "Bitumen" && reading.headClass == "Asphalt" && !reading.agrees)
        #expect(reading.summary == "the answer names Bitumen, but the head predicts Asphalt")
        let untrained = try #require(AnswerReading(answer: "a bitumen roof", head: head(top: "Asphalt", trained: false)))
        #expect(untrained.namedClass == "Bitumen", "the class is found whatever its case")
        #expect(untrained.summary == "the answer names Bitumen, but the untrained head predicts Asphalt")
    }

    @Test func anAnswerNamingNoClassSaysSo() throws {
        let reading = try #require(AnswerReading(answer: "It is a pixel.", head: head(top: "Meadows")))
        #expect(reading.namedClass == nil && !reading.agrees)
        #expect(reading.summary == "the answer names none of the classes; the head predicts Meadows")
    }

    @Test func onlyClassificationHeadsAreRead() {
        #expect(AnswerReading(answer: "A Meadows.", head: nil) == nil)
        var regression = head(top: "Meadows")
        regression.prediction = .regression(values: [3], target: "pm2.5", unit: "µg/m³")
        #expect(AnswerReading(answer: "A Meadows.", head: regression) == nil)
    }
}
