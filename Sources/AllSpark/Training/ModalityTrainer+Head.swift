import SparkEngine
import SparkGrad

extension ModalityTrainer {
    /// The task head on each sequence's pooled final hidden state (its last row, or the mean of
    /// its modality rows) and the head's loss against the examples' targets.
    func headOutputsAndLoss(_ headLinear: Linear, head: HeadSection, hidden: Variable, examples: [TrainingExample],
                            layoutOf: [TrainingSequence], length: Int, _ p: ParameterBinding) throws -> (outputs: Variable, loss: Variable) {
        let batch = examples.count, tape = p.tape
        let pooled = Variable.concatenate((0..<batch).map { b -> Variable in
            switch model.configuration.headPooling(modality) {
            case .last:
                let row = b * length + layoutOf[b].headRow
                return hidden.slice(rows: row..<(row + 1))
            case .modalityMean:
                let modalityRows = layoutOf[b].modalityRows
                let rows = (b * length + modalityRows.lowerBound)..<(b * length + modalityRows.upperBound)
                return hidden.slice(rows: rows).mean(axis: 0, keepDims: true)
            }
        }, axis: 0)
        let outputs = headLinear(pooled, p)
        let headLoss: Variable
        switch examples[0].target {
        case .classIndex:
            headLoss = outputs.crossEntropy(targets: examples.map { if case .classIndex(let i) = $0.target { return i } else { return 0 } })
        case .values:
            let values = examples.flatMap { if case .values(let v, _) = $0.target { return v } else { return [] } }
            guard values.count == batch * head.outputCount else {
                throw TrainingError("targets hold \(values.count) values; the head predicts \(head.outputCount) per sample")
            }
            let target = Tensor(shape: outputs.shape, scalars: values)
            let masks = examples.map { example -> [Bool]? in if case .values(_, let observed) = example.target { return observed } else { return nil } }
            if masks.contains(where: { $0 != nil }) {
                // Values that are not targets (missing readings) get no gradient: the output is
                // multiplied by 0 there and the target is 0.
                let mask = zip(examples, masks).flatMap { example, observed -> [Float] in
                    observed.map { $0.map { $0 ? 1 : 0 } } ?? [Float](repeating: 1, count: head.outputCount)
                }
                let masked = outputs * tape.constant(Tensor(shape: outputs.shape, scalars: mask))
                headLoss = head.kind == .depth ? masked.meanAbsoluteError(target: target) : masked.meanSquaredError(target: target)
            } else {
                headLoss = head.kind == .depth ? outputs.meanAbsoluteError(target: target) : outputs.meanSquaredError(target: target)
            }
        case .answerOnly:
            throw TrainingError("\(examples[0].reference.text): no target for the \(head.kind.rawValue) head (its label is an answer text)")
        }
        return (outputs, headLoss)
    }
}
