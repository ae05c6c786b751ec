/// What Ctrl-C means: the first one while a job runs cancels the job; a Ctrl-C while nothing
/// runs — or while the job is still winding down from the first one — quits. (As in llama.cpp's
/// CLI: one stops the generation, two leave.)
public enum InterruptPolicy {
    public enum Decision: Equatable, Sendable { case cancelJob, quit }

    public static func decide(jobRunning: Bool, jobAlreadyCancelling: Bool) -> Decision {
        jobRunning && !jobAlreadyCancelling ? .cancelJob : .quit
    }
}
