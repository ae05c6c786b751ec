import Testing
import SparkEngine
import SparkGrad

/// The tape itself: accumulation, constants, retained gradients, custom operations, and that the
/// gradient check can fail.
@Suite struct TapeTests {
    @Test func wrongBackwardIsDetected() {
        var random = TestRandom(seed: 61)
        let x = random.tensor([3, 4])
        func square(_ v: Variable, factor: Float) -> Variable {
            let value = v.value
            return v.tape.custom([v], value: value * value) { g in [g * value.scaled(by: factor)] }
        }
        // d(x²)/dx = 2x: the right backward passes, one that forgets the 2 must not.
        let right = gradientCheck([x], forward: { v in square(v[0], factor: 2) }, reference: { r in Reference.mul(r[0], r[0]) })
        let wrong = gradientCheck([x], forward: { v in square(v[0], factor: 1) }, reference: { r in Reference.mul(r[0], r[0]) })
        #expect(right.passed, "\(right)")
        #expect(!wrong.passed, "\(wrong)")
        #expect(wrong.relativeErrors[0] > 0.4)
        // A backward that is off by 1 % on one element fails too.
        let slightlyWrong = gradientCheck([x], forward: { v in
            let value = v[0].value
            return v[0].tape.custom([v[0]], value: value * value) { g in
                var d = g * value.scaled(by: 2)
                d.scalars[5] *= 1.01
                return [d]
            }
        }, reference: { r in Reference.mul(r[0], r[0]) })
        #expect(!slightlyWrong.passed, "\(slightlyWrong)")
        // A reference that is not the operation's forward is caught by the forward comparison.
        let mismatched = gradientCheck([x], forward: { v in v[0] * v[0] }, reference: { r in Reference.map(r[0]) { $0 * $0 + 1e-3 } })
        #expect(!mismatched.passed)
    }

    @Test func gradientsOfAVariableUsedTwiceAreSummed() {
        let tape = Tape()
        let x = tape.parameter(Tensor(shape: [3], scalars: [1, -2, 0.5]))
        let y = (x * x + x).sum()  // dy/dx = 2x + 1
        tape.backward(y)
        #expect(tape.gradient(x)!.scalars == [3, -3, 2])
    }

    @Test func constantsGetNoGradientAndTheirBranchesNoBackward() {
        let tape = Tape()
        var calls = 0
        let a = tape.constant(Tensor(shape: [2], scalars: [1, 2]))
        let b = tape.constant(Tensor(shape: [2], scalars: [3, 4]))
        let w = tape.parameter(Tensor(shape: [2], scalars: [0.5, -1]))
        let unused = tape.parameter(Tensor(shape: [2], scalars: [7, 7]))
        let constantBranch = tape.custom([a, b], value: (a.value * b.value)) { g in calls += 1; return [g, g] }
        #expect(!constantBranch.needsGradient)
        let trainableBranch = tape.custom([constantBranch, w], value: constantBranch.value * w.value) { g in
            calls += 10
            return [nil, g * constantBranch.value]
        }
        #expect(trainableBranch.needsGradient)
        tape.backward(trainableBranch.sum())
        #expect(calls == 10)  // the all-constant branch's backward never ran
        #expect(tape.gradient(w)!.scalars == [3, 8])
        #expect(tape.gradient(a) == nil && tape.gradient(constantBranch) == nil)
        #expect(tape.gradient(unused) == nil)  // a parameter the loss does not reach
    }

    @Test func retainedIntermediateGradientAndVectorSeed() {
        let tape = Tape()
        let x = tape.parameter(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let h = x.scaled(by: 3)
        let dropped = x.scaled(by: 5)
        tape.retainGradient(h)
        let y = h * h + dropped
        tape.backward(y, seed: Tensor(shape: [2, 2], scalars: [1, 0, -1, 2]))
        // dy/dh = 2h ⊙ seed; dy/dx = 3 · 2h ⊙ seed + 5 ⊙ seed.
        #expect(tape.gradient(h)!.scalars == [6, 0, -18, 48])
        #expect(tape.gradient(x)!.scalars == [23, 0, -59, 154])
        #expect(tape.gradient(dropped) == nil)  // intermediate, not retained: freed
    }
}
