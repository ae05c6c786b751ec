import ArgumentParser
import SparkEngine

extension AllSparkCommand {
    /// The program's entry point: `@main` finds this before ParsableCommand's default `main()`.
    /// It settles the OpenBLAS kernel before anything else can call BLAS (possibly by restarting
    /// the process, see BLASKernelStartup), then parses the command line as usual.
    static func main() {
        BLASKernelStartup.prepare()
        AllocatorTuning.prepare()
        main(nil)
    }
}
