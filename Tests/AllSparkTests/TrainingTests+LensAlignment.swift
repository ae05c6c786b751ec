import Testing
@testable import AllSpark

extension TrainingTests {
    /// The lens-alignment term joins the step's loss with its weight, and its gradient reaches the
    /// bridge through the whole step (central differences, as for the other losses).
    @Test(.enabled(if: available)) func lensAlignmentJoinsTheLossAndItsGradient() throws {
        let (trainer, data) = try Self.makeTrainer(options: TrainingOptions(lensWeight: 10))
        let batch = Array(data.examples.prefix(2))
        let prompt = try trainer.model.prompts(.rgb).prompts[0].text
        let result = try trainer.step(batch, prompt: prompt)
        #expect(result.lensLoss > 0, "an untrained bridge's tokens are not near their class's words")
        #expect(abs(result.loss - (result.headLoss + result.languageLoss + 10 * result.lensLoss)) < 1e-4 * max(1, result.loss))
        try Self.checkGradients(trainer, batch, prompt: prompt, names: ["bridges.rgb.queries"], result: result)
        let (off, _) = try Self.makeTrainer()
        #expect(try off.step(batch, prompt: prompt, gradients: false).lensLoss == 0, "off by default")
    }
}
