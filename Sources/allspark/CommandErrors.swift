import ArgumentParser
import Foundation
import SparkFormats

/// Runs a command body and turns the project's errors into a one-line message on standard error
/// and exit status 1 (ArgumentParser would otherwise print Swift's default description).
func reportingErrors<T>(_ command: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("allspark \(command): \(readableError(error))\n".utf8))
        throw ExitCode.failure
    }
}

/// A command's failure at run time (not a wrong argument): `reportingErrors` prints it as one line
/// without ArgumentParser's usage text, which would suggest the command line was at fault.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

